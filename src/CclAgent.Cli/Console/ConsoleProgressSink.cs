using System.Globalization;
using CclAgent.Core.Json;
using CclAgent.Core.Steps;
using CclAgent.Tuning.Progress;

namespace CclAgent.Cli.Console;

/// <summary>One progress line per step on stderr (stdout is for results).</summary>
public sealed class ConsoleProgressSink(TextWriter error) : IProgressSink
{
    public void Report(StepProgress progress)
    {
        string step = progress.Kind == StepKind.Baseline ? "baseline " : string.Create(CultureInfo.InvariantCulture, $"step {progress.Step,2}/{progress.Budget}");
        string measured = progress.IterationMs is double ms ? string.Create(CultureInfo.InvariantCulture, $"{ms,9:0.00} ms") : $"{WireName.Of(progress.Status),12}";
        string line = string.Create(CultureInfo.InvariantCulture,
            $"{step} | {Trim(progress.Change),-48} | {measured} | best {progress.BestMs:0.00} ms{Speedup(progress)}");
        if (progress.StopReason is not null)
        {
            line += $" | stop: {progress.StopReason}";
        }

        error.WriteLine(line);
    }

    public void Message(string text) => error.WriteLine(text);

    /// <summary>The speedup is unknown until the baseline has run (a remembered configuration may go first).</summary>
    private static string Speedup(StepProgress progress) => double.IsNaN(progress.BaselineMs)
        ? string.Empty
        : string.Create(CultureInfo.InvariantCulture, $" ({progress.BaselineMs / progress.BestMs:0.000}x)");

    private static string Trim(string text) => text.Length <= 48 ? text : string.Concat(text.AsSpan(0, 45), "...");
}
