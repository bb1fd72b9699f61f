using CclAgent.Reporting.Rendering;
using CclAgent.Reporting.Runs;
using CclAgent.Reporting.Sections;

namespace CclAgent.Reporting;

/// <summary>The report of one or more runs (and optionally a baseline run to compare with), as HTML or Markdown.</summary>
internal sealed class RunReport(IReadOnlyList<LoadedRun> runs, LoadedRun? baseline = null)
{
    public IReadOnlyList<LoadedRun> Runs => runs;

    public LoadedRun? Baseline => baseline;

    /// <summary>The HTML report; links are relative to <paramref name="reportDirectory"/>, where the file will be written.</summary>
    public string Html(string reportDirectory) => HtmlWriter.Write(Title, Blocks(reportDirectory, plot: true));

    public string Markdown(string reportDirectory) => MarkdownWriter.Write(Blocks(reportDirectory, plot: false));

    private string Title => runs.Count == 1 ? $"ccl-agent report — {runs[0].Summary.Workload}" : $"ccl-agent report — {runs.Count} runs";

    private List<ReportBlock> Blocks(string reportDirectory, bool plot)
    {
        var blocks = new List<ReportBlock>
        {
            new HeadingBlock(1, Title),
            new ParagraphBlock(string.Join("; ", runs.Select(r => $"{r.Summary.RunId} ({r.Summary.Workload}, {r.Summary.Mode}): {Format.Ms(r.Summary.BaselineIterationMs)} → {Format.Ms(r.Summary.BestIterationMs)}, speedup {Format.Num(r.Summary.Speedup)}×, stop {r.Summary.StopReason}"))),
        };
        blocks.AddRange(AcrossRuns.For(runs).Where(b => plot || b is not PlotBlock));
        if (baseline is not null)
        {
            blocks.AddRange(Comparison.For(runs, baseline));
        }

        foreach (LoadedRun run in runs)
        {
            blocks.AddRange(RunSections.For(run, reportDirectory, plot));
        }

        return blocks;
    }

    /// <summary>The report of the run directory tune has just finished, written as postrun/report.html.</summary>
    public static string HtmlForRunDirectory(string runDirectory) =>
        new RunReport([RunReader.Read(runDirectory)]).Html(Path.Combine(runDirectory, "postrun"));
}
