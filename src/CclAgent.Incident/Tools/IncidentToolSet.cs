using CclAgent.Incident.Modeling;
using CclAgent.Incident.Scenarios;

namespace CclAgent.Incident.Tools;

/// <summary>The ten tools over one scenario (recorded or read live), by name.</summary>
internal static class IncidentToolSet
{
    public static IReadOnlyList<IIncidentTool> Create(Scenario scenario) =>
    [
        new FetchServiceLogsTool(scenario),
        new FetchSystemLogsTool(scenario),
        new FetchPrometheusMetricsTool(scenario),
        new FetchJsonFileTool(FetchJsonFileTool.Config, "Read the service configuration {config, runtime (batch limits: max_num_seqs, max_num_batched_tokens, ...), version}.", "config.json", scenario.Config),
        new FetchJsonFileTool(FetchJsonFileTool.Runtime, "Read the scheduler's runtime state {queue_depth, running, waiting, scheduler_backlog_ms, worker_health}.", "runtime.json", scenario.Runtime),
        new FetchJsonFileTool(FetchJsonFileTool.Gpus, "Read per-GPU stats {gpus:[{id, util, mem_util, mem_used_gb, mem_total_gb, power_w, temp_c, clocks, throttle reasons}]}.", "gpus.json", scenario.Gpus),
        new AnalyzeMetricsTool(),
        new ApplyFixSimulationTool(),
        new CollectPostTelemetryTool(new SystemModel(scenario)),
        new ValidateImprovementTool(),
    ];
}
