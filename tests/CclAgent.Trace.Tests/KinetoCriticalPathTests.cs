using System.IO.Compression;
using System.Text.Json;
using CclAgent.Trace.Report;

namespace CclAgent.Trace.Tests;

/// <summary>
/// The Kineto critical path: exact on the hand-written 2-rank fixture (Fixtures/critical-path-2ranks/SOURCE.md), and
/// against HTA's own answer on its real simple_add trace (Fixtures/hta-critical-path/SOURCE.md).
/// </summary>
public sealed class KinetoCriticalPathTests
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures");

    [Fact]
    public void The_path_crosses_to_the_rank_that_arrived_last_at_the_all_reduce_and_back_to_its_launch()
    {
        CriticalPathSection p = TraceAnalyzer.Analyze([Path.Combine(Fixtures, "critical-path-2ranks")], "auto", null).CriticalPath;
        p.Ids.Should().Equal(
            "rank1:fwd@0",
            "rank1:cudaLaunchKernel@10",
            "rank1:ampere_sgemm_128x64_nn@20",
            "rank0:ncclDevKernel_AllReduce_Sum_f32_RING_LL(ncclDevComm*, unsign…@220",
            "rank0:cudaDeviceSynchronize@100");
        p.DurationMs.Should().Be(0.612);
        p.Kinds.Should().Equal(
            new PathShare("communication", 0.08, 0.1307),
            new PathShare("compute", 0.5, 0.817),
            new PathShare("cpu", 0.022, 0.0359),
            new PathShare("launch_delay", 0.01, 0.0163));
    }

    [Fact]
    public void A_kernel_held_by_cuda_stream_wait_event_leads_the_path_to_the_other_streams_producer()
    {
        CriticalPathSection p = TraceAnalyzer.Analyze([Path.Combine(Fixtures, "stream-wait", "trace.json")], "auto", null).CriticalPath;
        p.Ids.Should().Equal("rank0:step@0", "rank0:cudaLaunchKernel@10", "rank0:producer_kernel@20", "rank0:consumer_kernel@300", "rank0:cudaDeviceSynchronize@60");
        p.DurationMs.Should().Be(0.41);
        p.Kinds.Should().Equal(new PathShare("compute", 0.38, 0.9268), new PathShare("cpu", 0.02, 0.0488), new PathShare("launch_delay", 0.01, 0.0244));
    }

    [Fact]
    public void On_htas_simple_add_trace_the_path_spans_the_run_and_holds_618_of_the_624_events_hta_marks_critical()
    {
        string trace = Path.Combine(Fixtures, "hta-critical-path", "simple_add_trace.json.gz");
        CriticalPathSection p = TraceAnalyzer.Analyze([trace], "kineto", null).CriticalPath;
        p.DurationMs.Should().Be(41578.906);

        var ours = p.Ids.Select(Key).ToHashSet();
        HashSet<(string, string)> hta = HtaCritical(Path.Combine(Fixtures, "hta-critical-path", "hta_overlaid_critical_path.json.gz"));
        hta.Should().HaveCount(624);
        ours.Should().HaveCount(632);
        ours.Intersect(hta).Should().HaveCount(618);
    }

    [Fact]
    public void A_single_gpu_only_trace_still_gets_a_path_along_its_streams()
    {
        CriticalPathSection p = TraceAnalyzer.Analyze([Path.Combine(Fixtures, "straggler")], "auto", null).CriticalPath;
        p.Ids.Should().NotBeEmpty().And.OnlyContain(id => id.StartsWith("rank2:nccl", StringComparison.Ordinal));
        p.Kinds.Sum(k => k.DurationMs).Should().BeApproximately(p.DurationMs, 0.002);
    }

    /// <summary>Our id is <c>rank{r}:{name (first 60 chars)}@{ts}</c>; HTA's events are keyed the same way.</summary>
    private static (string Name, string Ts) Key(string id)
    {
        string body = id[(id.IndexOf(':', StringComparison.Ordinal) + 1)..];
        int at = body.LastIndexOf('@');
        return (body[..at].TrimEnd('…'), body[(at + 1)..]);
    }

    private static HashSet<(string, string)> HtaCritical(string path)
    {
        using var gz = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var doc = JsonDocument.Parse(gz);
        var set = new HashSet<(string, string)>();
        foreach (JsonElement e in doc.RootElement.GetProperty("traceEvents").EnumerateArray())
        {
            if (e.TryGetProperty("ph", out var ph) && ph.GetString() == "X"
                && e.TryGetProperty("args", out var args) && args.ValueKind == JsonValueKind.Object
                && args.TryGetProperty("critical", out var c) && c.GetInt32() == 1)
            {
                string name = e.GetProperty("name").GetString()!;
                set.Add((name.Length > 60 ? name[..60] : name, e.GetProperty("ts").GetRawText()));
            }
        }

        return set;
    }
}
