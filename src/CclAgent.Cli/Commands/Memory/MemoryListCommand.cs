using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using CclAgent.Cli.Console;
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

        CultureInfo c = CultureInfo.InvariantCulture;
        output.WriteLine($"runs ({runs.Count})");
        var runTable = new TextTable(["ID", "STATUS", "WORKLOAD", "CLUSTER", "SPEEDUP", "AGE(d)"], 4, 5);
        foreach (RunRecord run in runs)
        {
            runTable.Add(run.RunId, MemoryRows.Status(run, liveness, now), run.WorkloadName, MemoryRows.Cluster(run.Features), run.Speedup is { } s ? s.ToString("0.000", c) : "-", Days(now - run.StartedAt));
        }

        runTable.Write(output);
        output.WriteLine($"rules ({rules.Count})");
        var ruleTable = new TextTable(["ID", "CLUSTER", "EFFECT", "SUPPORT", "CONFIDENCE", "AGE(d)", "PATCH"], 2, 3, 4, 5);
        foreach (RuleRecord rule in rules)
        {
            ruleTable.Add(rule.Id, MemoryRows.Cluster(rule.Features), rule.Effect.ToString("+0.0%;-0.0%", c), rule.Support.ToString(c), MemoryRows.Confidence(rule).ToString("0.00", c), Days(now - rule.LastSeen), MemoryRows.PatchText(rule.Patch));
        }

        ruleTable.Write(output);
        output.WriteLine($"avoid_rules ({avoid.Count})");
        var avoidTable = new TextTable(["ID", "CLUSTER", "FAILURE", "SEEN", "AGE(d)", "PATCH"], 3, 4);
        foreach (AvoidRuleRecord rule in avoid)
        {
            avoidTable.Add(rule.Id, MemoryRows.Cluster(rule.Features), rule.FailureClass, rule.Occurrences.ToString(c), Days(now - rule.LastSeen), MemoryRows.PatchText(rule.Patch));
        }

        avoidTable.Write(output);
        return ExitCodes.Success;
    }

    private static string Days(TimeSpan age) => age.TotalDays.ToString("0.0", CultureInfo.InvariantCulture);
}
