using System.Globalization;
using System.Text.Json.Nodes;
using CclAgent.Memory;

namespace CclAgent.Cli.Commands.Memory;

/// <summary>Memory records as JSON objects, for <c>--json</c> and <c>export</c>.</summary>
internal static class MemoryRows
{
    /// <summary>Running, finished, or interrupted (its process gone from this host, or no trial for hours).</summary>
    public static string Status(RunRecord run, IReadOnlyDictionary<string, RunLiveness> liveness, DateTimeOffset now) =>
        RunStatuses.Of(run, liveness.GetValueOrDefault(run.RunId), now, Environment.MachineName, RunStatuses.ProcessIsAlive) switch
        {
            MemoryRunStatus.Finished => "finished",
            MemoryRunStatus.Interrupted => "interrupted",
            _ => "running",
        };

    public static JsonObject Run(RunRecord run, IReadOnlyDictionary<string, RunLiveness> liveness, DateTimeOffset now) => new()
    {
        ["kind"] = "run",
        ["id"] = run.RunId,
        ["workload"] = run.WorkloadName,
        ["cluster"] = Cluster(run.Features),
        ["context_signature"] = run.ContextSignature,
        ["mode"] = run.Mode,
        ["status"] = Status(run, liveness, now),
        ["host"] = liveness.GetValueOrDefault(run.RunId)?.Host,
        ["pid"] = liveness.GetValueOrDefault(run.RunId)?.Pid,
        ["heartbeat_at"] = liveness.GetValueOrDefault(run.RunId) is { } l ? Time(l.HeartbeatAt) : null,
        ["started_at"] = Time(run.StartedAt),
        ["finished_at"] = run.FinishedAt is { } f ? Time(f) : null,
        ["age_days"] = Math.Round((now - run.StartedAt).TotalDays, 2),
        ["baseline_iteration_ms"] = run.BaselineIterationMs,
        ["best_iteration_ms"] = run.BestIterationMs,
        ["speedup"] = run.Speedup,
        ["best_config"] = Map(run.BestConfig),
        ["stop_reason"] = run.StopReason,
        ["trials"] = run.Trials,
    };

    public static JsonObject Rule(RuleRecord rule, DateTimeOffset now) => new()
    {
        ["kind"] = "rule",
        ["id"] = rule.Id,
        ["cluster"] = Cluster(rule.Features),
        ["context_signature"] = rule.ContextSignature,
        ["patch"] = Map(rule.Patch),
        ["effect"] = rule.Effect,
        ["support"] = rule.Support,
        ["successes"] = rule.Successes,
        ["failures"] = rule.Failures,
        ["confidence"] = Confidence(rule),
        ["description"] = rule.Description,
        ["evidence"] = new JsonArray([.. rule.Evidence.Select(e => (JsonNode?)JsonValue.Create(e))]),
        ["last_seen"] = Time(rule.LastSeen),
        ["age_days"] = Math.Round((now - rule.LastSeen).TotalDays, 2),
    };

    public static JsonObject Avoid(AvoidRuleRecord rule, DateTimeOffset now) => new()
    {
        ["kind"] = "avoid_rule",
        ["id"] = rule.Id,
        ["cluster"] = Cluster(rule.Features),
        ["context_signature"] = rule.ContextSignature,
        ["patch"] = Map(rule.Patch),
        ["failure_class"] = rule.FailureClass,
        ["reason"] = rule.Reason,
        ["occurrences"] = rule.Occurrences,
        ["last_seen"] = Time(rule.LastSeen),
        ["age_days"] = Math.Round((now - rule.LastSeen).TotalDays, 2),
    };

    public static JsonObject Quarantined(QuarantinedRow row) => new()
    {
        ["table"] = row.Table,
        ["row_id"] = row.RowId,
        ["reason"] = row.Reason,
    };

    /// <summary>Successes over observations: the share of runs in which the rule helped.</summary>
    public static double Confidence(RuleRecord rule) =>
        rule.Successes + rule.Failures == 0 ? 0 : Math.Round((double)rule.Successes / (rule.Successes + rule.Failures), 3);

    /// <summary>The cluster part of a context, e.g. "H100 1x8 nvswitch none", for filters and tables.</summary>
    public static string Cluster(CclAgent.Core.Context.ContextFeatures features) =>
        string.Join(' ', new[] { features.Gpu, $"{features.Nodes}x{features.GpusPerNode}", features.IntraFabric, features.NetworkKind }.Where(p => !string.IsNullOrEmpty(p)));

    public static string PatchText(IReadOnlyDictionary<string, string> patch) =>
        string.Join(' ', patch.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));

    private static JsonObject Map(IReadOnlyDictionary<string, string> values)
    {
        var obj = new JsonObject();
        foreach (KeyValuePair<string, string> pair in values.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            obj[pair.Key] = pair.Value;
        }

        return obj;
    }

    private static string Time(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
