using CclAgent.Core.Files;
using System.IO.Compression;
using CclAgent.Trace.Events;
using CclAgent.Trace.Inspector;
using CclAgent.Trace.Kineto;
using CclAgent.Trace.Report;
using CclAgent.Trace.Workflow;

namespace CclAgent.Trace;

/// <summary>Entry point of <c>trace analyze</c>: resolves inputs, detects the format, runs its analyses.</summary>
public static class TraceAnalyzer
{
    public static TraceReport Analyze(IReadOnlyList<string> inputs, string format, string? baseline)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        List<string> files = Expand(inputs);
        string kind = format == "auto" ? Detect(files[0]) : format;
        switch (kind)
        {
            case "workflow":
                Check(files[0], "a workflow execution JSON file", InputFile.MaxJsonBytes);
                return WorkflowAnalyzer.Analyze(WorkflowReader.Read(files[0], baseline), files);
            case "events":
                Check(files[0], "a ccl-agent events.jsonl", null);
                (List<RunEvent> events, string? truncated) = EventsReader.Read(files[0]);
                return EventsAnalyzer.Analyze(events, truncated, files);
            case "kineto":
                files.ForEach(f => Check(f, "a Kineto trace (.json or .json.gz)", null));
                return KinetoAnalyzer.Analyze(files.Select(KinetoReader.Read).ToList(), files);
            case "nccl-inspector":
                files.ForEach(f => Check(f, "an NCCL Inspector log (.log or .jsonl, optionally .gz)", null));
                return InspectorAnalyzer.Analyze(files.Select(InspectorReader.Read).ToList(), files);
            default:
                throw new TraceInputException($"{files[0]}: format {kind} is unknown; expected workflow, kineto, nccl-inspector or events");
        }
    }

    /// <summary>The report with <c>patterns</c> filled from the earlier <c>analysis.json</c> files under <paramref name="historyDir"/>.</summary>
    public static TraceReport WithHistory(TraceReport report, string historyDir)
    {
        ArgumentNullException.ThrowIfNull(report);
        return report with { Patterns = History.RunHistory.Patterns(report, historyDir) };
    }

    internal static List<string> Expand(IReadOnlyList<string> inputs)
    {
        var files = new List<string>();
        foreach (string input in inputs)
        {
            if (Directory.Exists(input) && File.Exists(Path.Combine(input, "trace", "events.jsonl")))
            {
                // A ccl-agent run directory: its event log is the trace.
                files.Add(Path.Combine(input, "trace", "events.jsonl"));
            }
            else if (Directory.Exists(input))
            {
                files.AddRange(TraceFiles(input));
            }
            else if (File.Exists(input))
            {
                files.Add(input);
            }
            else
            {
                throw new TraceInputException($"{input}: no such file or directory; expected a trace file or a directory of them");
            }
        }

        return files.Count > 0 ? files : throw new TraceInputException($"{inputs[0]}: holds no .json or .json.gz file; expected a trace");
    }

    /// <summary>
    /// A directory's traces: its Kineto files (one per rank), or else its NCCL Inspector logs (one per process,
    /// <c>&lt;host&gt;-pid&lt;pid&gt;.log</c> under NCCL_INSPECTOR_DUMP_DIR).
    /// </summary>
    private static IEnumerable<string> TraceFiles(string dir)
    {
        static bool Ends(string f, params string[] suffixes) => suffixes.Any(s => f.EndsWith(s, StringComparison.Ordinal));
        var all = Directory.EnumerateFiles(dir).Order(StringComparer.Ordinal).ToList();
        var kineto = all.Where(f => Ends(f, ".json", ".json.gz") && !Workflow.WorkflowReader.IsSidecar(f)).ToList();
        return kineto.Count > 0 ? kineto : all.Where(f => Ends(f, ".log", ".log.gz", ".jsonl", ".jsonl.gz"));
    }

    internal static void Check(string path, string expected, long? max)
    {
        if (InputFile.Check(path, expected, max) is string problem)
        {
            throw new TraceInputException($"{path}: {problem}");
        }
    }

    /// <summary>
    /// The first kilobytes decide: NCCL Inspector records (coll_perf, p2p_perf, dump_stats) in any file; else a .jsonl
    /// is a run's events, a .gz Kineto; else "traceEvents" is Kineto and "traces" a workflow.
    /// </summary>
    private static string Detect(string path)
    {
        Check(path, "a trace file", null);
        string text = Head(path);
        if (InspectorKeys.Any(k => text.Contains(k, StringComparison.Ordinal)))
        {
            return "nccl-inspector";
        }

        if (path.EndsWith(".jsonl", StringComparison.Ordinal))
        {
            return "events";
        }

        return path.EndsWith(".gz", StringComparison.Ordinal) || text.Contains("\"traceEvents\"", StringComparison.Ordinal) ? "kineto"
            : text.Contains("\"traces\"", StringComparison.Ordinal) ? "workflow"
            : throw new TraceInputException($"{path}: $: neither traceEvents (Kineto), coll_perf (NCCL Inspector) nor traces (workflow execution) found; give --format");
    }

    private static readonly string[] InspectorKeys = ["\"coll_perf\"", "\"p2p_perf\"", "\"dump_stats\"", "\"inspector_output_format_version\""];

    private static string Head(string path)
    {
        try
        {
            using Stream file = File.OpenRead(path);
            using Stream stream = path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress) : file;
            using var reader = new StreamReader(stream);
            char[] head = new char[64 * 1024];
            return new string(head, 0, reader.ReadBlock(head));
        }
        catch (InvalidDataException)
        {
            // A corrupt gzip is left to its reader, which says where it broke.
            return "";
        }
    }
}
