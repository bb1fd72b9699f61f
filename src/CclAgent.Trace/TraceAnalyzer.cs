using CclAgent.Core.Files;
using CclAgent.Trace.Events;
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
            default:
                throw new TraceInputException($"{files[0]}: format {kind} is not supported yet; expected workflow, kineto or events");
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
                files.AddRange(Directory.EnumerateFiles(input).Where(f => f.EndsWith(".json", StringComparison.Ordinal) || f.EndsWith(".json.gz", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
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

    internal static void Check(string path, string expected, long? max)
    {
        if (InputFile.Check(path, expected, max) is string problem)
        {
            throw new TraceInputException($"{path}: {problem}");
        }
    }

    /// <summary>A .jsonl is a run's events, a .gz Kineto; else the first kilobytes decide: "traceEvents" is Kineto, "traces" a workflow.</summary>
    private static string Detect(string path)
    {
        if (path.EndsWith(".jsonl", StringComparison.Ordinal))
        {
            return "events";
        }

        if (path.EndsWith(".gz", StringComparison.Ordinal))
        {
            return "kineto";
        }

        Check(path, "a trace file", null);
        using var reader = new StreamReader(path);
        char[] head = new char[64 * 1024];
        string text = new(head, 0, reader.ReadBlock(head));
        return text.Contains("\"traceEvents\"", StringComparison.Ordinal) ? "kineto"
            : text.Contains("\"traces\"", StringComparison.Ordinal) ? "workflow"
            : throw new TraceInputException($"{path}: $: neither traceEvents (Kineto) nor traces (workflow execution) found; give --format");
    }
}
