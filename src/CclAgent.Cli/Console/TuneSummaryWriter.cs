using System.Globalization;
using CclAgent.Core.Runs;
using CclAgent.Tuning.Json;
using CclAgent.Tuning.Records;

namespace CclAgent.Cli.Console;

/// <summary>The summary of a tune run on stdout: the text a person reads, or the summary JSON with <c>--json</c>.</summary>
internal static class TuneSummaryWriter
{
    public static async Task WriteAsync(TuningSummary summary, RunDirectory run, bool json, TextWriter output)
    {
        if (json)
        {
            await output.WriteLineAsync(TuningJson.Serialize(summary));
            return;
        }

        var c = CultureInfo.InvariantCulture;
        await output.WriteLineAsync(string.Create(c, $"workload      {summary.Workload}"));
        await output.WriteLineAsync(string.Create(c, $"baseline      {summary.BaselineIterationMs:0.00} ms/iteration (NCCL defaults)"));
        await output.WriteLineAsync(string.Create(c, $"best          {summary.BestIterationMs:0.00} ms/iteration  speedup {summary.Speedup:0.000}x  after {summary.Trials} trials ({summary.StopReason})"));
        if (summary.OracleIterationMs is double oracle)
        {
            await output.WriteLineAsync(string.Create(c, $"oracle        {oracle:0.00} ms/iteration  best/oracle {summary.OracleFraction:0.000}"));
        }

        await output.WriteLineAsync(string.Create(c, $"cluster time  {summary.ClusterSeconds:0} s ({summary.MicrobenchmarkRuns} microbenchmark runs {summary.MicrobenchmarkClusterSeconds:0} s, {summary.Trials} trials + baseline + confirm), {summary.GpuHours:0.00} GPU-h"));
        await output.WriteLineAsync($"best config   {(summary.BestConfig.Count == 0 ? "NCCL defaults" : string.Join(" ", summary.BestConfig.Select(kv => $"{kv.Key}={kv.Value}")))}");
        if (summary.LlmProvider is not null)
        {
            await output.WriteLineAsync(summary.LlmUsed
                ? string.Create(c, $"llm           {summary.LlmProvider}: {summary.LlmCalls} call(s), {summary.LlmProposals} proposal(s) validated, {summary.LlmProposalsApplied} applied, {summary.LlmProposalsAccepted} accepted")
                : $"llm           {summary.LlmProvider}: not used ({summary.LlmUnavailable ?? "no reply"})");
        }

        await output.WriteLineAsync($"run directory {run.Root}");
        await output.WriteLineAsync($"deliverables  {Path.Combine(run.Postrun, "best_config.env")}, {Path.Combine(run.Postrun, "nccl_tuner.conf")}, {Path.Combine(run.Postrun, "report.md")}");
    }
}
