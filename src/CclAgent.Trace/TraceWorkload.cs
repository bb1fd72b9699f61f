using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CclAgent.Core.Json;
using CclAgent.Core.Workloads;
using CclAgent.Trace.Kineto;

namespace CclAgent.Trace;

/// <summary>Entry point of <c>trace workload</c>: Kineto traces plus a cluster description become a workload spec for <c>tune</c>.</summary>
public static class TraceWorkload
{
    /// <summary>The spec, validated as <c>tune --workload</c> would; <see cref="TraceInputException"/> names the file at fault.</summary>
    public static WorkloadSpec Build(IReadOnlyList<string> inputs, string clusterPath)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        List<string> files = TraceAnalyzer.Expand(inputs);
        ClusterSpec cluster = ReadCluster(clusterPath);
        files.ForEach(f => TraceAnalyzer.Check(f, "a Kineto trace (.json or .json.gz)", null));
        List<RankTrace> ranks = files.Select(KinetoReader.Read).OrderBy(t => t.Rank).ToList();
        WorkloadSpec spec = KinetoWorkload.Build(ranks, cluster, NameOf(files[0]));
        var problems = WorkloadValidator.Validate(spec, clusterPath);
        return problems.Count == 0 ? spec
            : throw new TraceInputException($"{clusterPath}: {problems[0].JsonPath}: {problems[0].Message}{(problems.Count > 1 ? $" (and {problems.Count - 1} more)" : "")}");
    }

    /// <summary>The core context's options (snake_case, nulls left out), indented like a hand-written workload file.</summary>
    private static readonly JsonSerializerOptions Indented = new(CoreJsonContext.Default.Options) { WriteIndented = true };

    /// <summary>Serialises like a hand-written workload file.</summary>
    public static string ToJson(WorkloadSpec spec) =>
        JsonSerializer.Serialize(spec, (JsonTypeInfo<WorkloadSpec>)Indented.GetTypeInfo(typeof(WorkloadSpec))) + Environment.NewLine;

    /// <summary>A cluster object, or a workload file whose <c>cluster</c> is reused (so an existing spec can serve).</summary>
    private static ClusterSpec ReadCluster(string path)
    {
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new TraceInputException($"{path}: no such file; expected a cluster JSON file");
        }

        TraceAnalyzer.Check(path, "a cluster JSON file", Core.Files.InputFile.MaxJsonBytes);
        try
        {
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new TraceInputException($"{path}: $: not an object; expected a cluster object (gpu, nodes, gpus_per_node, network, ...)");
            }

            JsonElement element = doc.RootElement.TryGetProperty("cluster", out JsonElement inner) ? inner : doc.RootElement;
            return element.Deserialize(CoreJsonContext.Default.ClusterSpec)
                ?? throw new TraceInputException($"{path}: $.cluster: null; expected a cluster object");
        }
        catch (JsonException ex)
        {
            throw new TraceInputException($"{path}: not a valid cluster JSON ({ex.Message.Split('\n')[0].Trim()})");
        }
    }

    /// <summary>The spec's name from the first trace's file name (rank files share a prefix).</summary>
    private static string NameOf(string file)
    {
        string name = Path.GetFileName(file);
        foreach (string ext in new[] { ".gz", ".json", ".pt.trace" })
        {
            name = name.EndsWith(ext, StringComparison.OrdinalIgnoreCase) ? name[..^ext.Length] : name;
        }

        return "trace-" + name;
    }
}
