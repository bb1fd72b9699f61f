using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using CclAgent.Memory;

namespace CclAgent.Cli.Commands.Memory;

/// <summary>`ccl-agent memory list`: runs, rules and avoid-rules, filtered by workload or cluster.</summary>
internal sealed class MemoryListCommand : Command
{
    private readonly Option<string?> _memory = MemoryOptions.Path_();
    private readonly Option<bool> _json = MemoryOptions.Json();
    private readonly Option<string?> _workload = new("--workload") { Description = "Only runs of this workload name." };
    private readonly Option<string?> _cluster = new("--cluster") { Description = "Only entries whose cluster (GPU, NODESxGPUS, fabric, network; as the table shows) contains this text, case-insensitive." };
    private readonly TimeProvider _time;

    public MemoryListCommand(TimeProvider time)
        : base("list", "List runs (an unfinished run whose process is gone, or with no trial for 6 h, shows as interrupted), rules and avoid-rules.")
    {
        _time = time;
        Options.Add(_memory);
        Options.Add(_json);
        Options.Add(_workload);
        Options.Add(_cluster);
        SetAction(Execute);
    }

    private int Execute(ParseResult parse)
    {
        TextWriter output = parse.InvocationConfiguration.Output;
        using MemoryStore? store = MemoryOptions.Open(parse.GetValue(_memory) ?? MemoryOptions.DefaultPath, _time, parse.InvocationConfiguration.Error);
        if (store is null)
        {
            return ExitCodes.InvalidInput;
        }

        DateTimeOffset now = _time.GetUtcNow();
        IReadOnlyDictionary<string, RunLiveness> liveness = store.Liveness();
        string? workload = parse.GetValue(_workload);
        string? cluster = parse.GetValue(_cluster);
        bool InCluster(CclAgent.Core.Context.ContextFeatures f) => cluster is null || MemoryRows.Cluster(f).Contains(cluster, StringComparison.OrdinalIgnoreCase);
        List<RunRecord> runs = [.. store.Runs().Where(r => (workload is null || r.WorkloadName == workload) && InCluster(r.Features))];
        // Rules carry a context, not a workload: with --workload they are those of the listed runs' contexts.
        HashSet<string> contexts = [.. runs.Select(r => r.ContextSignature)];
        bool InScope(string signature, CclAgent.Core.Context.ContextFeatures f) => (workload is null || contexts.Contains(signature)) && InCluster(f);
        List<RuleRecord> rules = [.. store.Rules().Where(r => InScope(r.ContextSignature, r.Features)).OrderByDescending(r => r.LastSeen).ThenBy(r => r.Id, StringComparer.Ordinal)];
        List<AvoidRuleRecord> avoid = [.. store.AllAvoidRules().Where(r => InScope(r.ContextSignature, r.Features)).OrderByDescending(r => r.LastSeen).ThenBy(r => r.Id, StringComparer.Ordinal)];
        if (parse.GetValue(_json))
        {
            var doc = new JsonObject
            {
                ["runs"] = new JsonArray([.. runs.Select(r => (JsonNode)MemoryRows.Run(r, liveness, now))]),
                ["rules"] = new JsonArray([.. rules.Select(r => (JsonNode)MemoryRows.Rule(r, now))]),
                ["avoid_rules"] = new JsonArray([.. avoid.Select(r => (JsonNode)MemoryRows.Avoid(r, now))]),
            };
            output.WriteLine(doc.ToJsonString());
            return ExitCodes.Success;
        }

        var c = CultureInfo.InvariantCulture;
        output.WriteLine($"runs ({runs.Count})");
        output.WriteLine(string.Format(c, "  {0,-28} {1,-11} {2,-24} {3,-22} {4,8} {5,7}", "ID", "STATUS", "WORKLOAD", "CLUSTER", "SPEEDUP", "AGE(d)"));
        foreach (RunRecord run in runs)
        {
            output.WriteLine(string.Format(c, "  {0,-28} {1,-11} {2,-24} {3,-22} {4,8} {5,7:0.0}", run.RunId, MemoryRows.Status(run, liveness, now), run.WorkloadName, MemoryRows.Cluster(run.Features), run.Speedup is { } s ? s.ToString("0.000", c) : "-", (now - run.StartedAt).TotalDays));
        }

        output.WriteLine($"rules ({rules.Count})");
        output.WriteLine(string.Format(c, "  {0,-16} {1,-22} {2,8} {3,7} {4,10} {5,7}  {6}", "ID", "CLUSTER", "EFFECT", "SUPPORT", "CONFIDENCE", "AGE(d)", "PATCH"));
        foreach (RuleRecord rule in rules)
        {
            output.WriteLine(string.Format(c, "  {0,-16} {1,-22} {2,8:+0.0%;-0.0%} {3,7} {4,10:0.00} {5,7:0.0}  {6}", rule.Id, MemoryRows.Cluster(rule.Features), rule.Effect, rule.Support, MemoryRows.Confidence(rule), (now - rule.LastSeen).TotalDays, MemoryRows.PatchText(rule.Patch)));
        }

        output.WriteLine($"avoid_rules ({avoid.Count})");
        output.WriteLine(string.Format(c, "  {0,-16} {1,-22} {2,-16} {3,5} {4,7}  {5}", "ID", "CLUSTER", "FAILURE", "SEEN", "AGE(d)", "PATCH"));
        foreach (AvoidRuleRecord rule in avoid)
        {
            output.WriteLine(string.Format(c, "  {0,-16} {1,-22} {2,-16} {3,5} {4,7:0.0}  {5}", rule.Id, MemoryRows.Cluster(rule.Features), rule.FailureClass, rule.Occurrences, (now - rule.LastSeen).TotalDays, MemoryRows.PatchText(rule.Patch)));
        }

        return ExitCodes.Success;
    }
}
