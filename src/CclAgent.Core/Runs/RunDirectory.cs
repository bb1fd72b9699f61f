using System.Security.Cryptography;
using System.Text;

namespace CclAgent.Core.Runs;

/// <summary>The folder layout of one run: artifacts/&lt;run_id&gt;/ and its sub-folders (see docs/run-directory.md).</summary>
public sealed class RunDirectory
{
    private RunDirectory(string root, string runId)
    {
        Root = root;
        RunId = runId;
    }

    public string RunId { get; }
    public string Root { get; }
    public string Trace => Path.Combine(Root, "trace");
    public string TraceFile => Path.Combine(Trace, "events.jsonl");
    public string Offline => Path.Combine(Root, "offline");
    public string Steps => Path.Combine(Root, "steps");
    public string Online => Path.Combine(Root, "online");
    public string Postrun => Path.Combine(Root, "postrun");
    public string Llm => Path.Combine(Root, "llm");
    public string Logs => Path.Combine(Root, "logs");
    public string RunContextFile => Path.Combine(Root, "run_context.json");
    public string ConfigSnapshotFile => Path.Combine(Root, "config_snapshot.json");
    public string LogFile => Path.Combine(Logs, "ccl-agent.clef");

    public static RunDirectory Create(string artifactsRoot, string runId)
    {
        var run = new RunDirectory(Path.GetFullPath(Path.Combine(artifactsRoot, runId)), runId);
        foreach (string dir in new[] { run.Root, run.Trace, run.Offline, run.Steps, run.Online, run.Postrun, run.Llm, run.Logs })
        {
            Directory.CreateDirectory(dir);
        }

        return run;
    }

    public static RunDirectory Open(string root) =>
        new(Path.GetFullPath(root), Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(root))));

    /// <summary>The most characters of the workload name a run id keeps: file names stop at 255 bytes.</summary>
    public const int MaxNamePart = 64;

    /// <summary>A sortable, unique id: UTC time, the workload name's <see cref="FileNamePart"/> and a short random suffix.</summary>
    public static string NewRunId(TimeProvider time, string workloadName) =>
        $"{time.GetUtcNow():yyyyMMdd-HHmmss}-{FileNamePart(workloadName)}-{Guid.NewGuid().ToString("N")[..6]}";

    /// <summary>
    /// A workload name made safe for a file name: characters other than letters, digits, '-' and '_' become dashes. A name
    /// longer than <see cref="MaxNamePart"/> is cut and followed by a hash of the whole name, so two long names that share
    /// a beginning still differ; at most three UTF-8 bytes per kept character keeps it under the 255-byte limit of file names.
    /// </summary>
    public static string FileNamePart(string name)
    {
        string safe = new(name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '-').ToArray());
        if (safe.Length <= MaxNamePart)
        {
            return safe;
        }

        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..8];
        return $"{safe[..MaxNamePart]}-{hash}";
    }
}
