using CclAgent.Nccl.Collectives;
using CclAgent.Nccl.Parameters;
using CclAgent.Runtime.Execution;
using CclAgent.Runtime.Microbenchmarks;
using CclAgent.Tuning.Offline;

namespace CclAgent.Runtime.Tests.Execution;

/// <summary>The real microbenchmark: one nccl-tests process per collective and configuration, parsed like a job's output.</summary>
[Trait("Category", "Integration")]
public sealed class NcclTestsBenchmarkTests : IDisposable
{
    // A fake all_reduce_perf: records its argv, and is faster with NCCL_PROTO=Simple.
    private const string FakePerf = """
        echo "$0 $*" >> "$OUT/argv.txt"
        t=2000.0
        [ "$NCCL_PROTO" = "Simple" ] && t=1500.0
        if [ "$NCCL_DEBUG" = "INFO" ]; then
          echo "node1:42:42 [0] NCCL INFO Channel 00/07 :    0   1   2   3"
          echo "node1:42:42 [0] NCCL INFO Channel 06/07 :    0   1   2   3"
        fi
        echo "#       size         count      type   redop    root     time   algbw   busbw #wrong     time   algbw   busbw #wrong"
        echo "     1048576        262144     float     sum      -1   $t   17.09   29.91      0   $t   17.25   30.18      0"
        echo "# Avg bus bandwidth    : 30.04"
        """;

    private readonly ProcessJobFixture _fx = new();

    public void Dispose() => _fx.Dispose();

    [Fact]
    public async Task Each_reading_runs_the_op_binary_at_the_collective_size_with_the_configuration_in_its_environment()
    {
        NcclTestsBenchmark benchmark = Benchmark();
        var call = new CollectiveCall(CollectiveOp.AllReduce, 1048576, 1, 8);

        CollectiveBenchmarkReading? defaults = await benchmark.MeasureAsync(call, NcclConfig.Default, CancellationToken.None);
        CollectiveBenchmarkReading? simple = await benchmark.MeasureAsync(call, NcclConfig.Default.With(ParameterSpace.Proto, "Simple"), CancellationToken.None);

        Assert.Equal(2000.0, defaults!.TimeUs, 6);
        Assert.Equal(1500.0, simple!.TimeUs, 6);
        Assert.Equal(7, defaults.Channels);
        string[] argv = await File.ReadAllLinesAsync(Path.Combine(_fx.Directory, "argv.txt"));
        Assert.Equal("all_reduce_perf -b 1048576 -e 1048576 -n 20 -w 5", argv[0]);
        Assert.True(File.Exists(Path.Combine(_fx.Directory, "offline", "microbenchmark", "run_2_command.json")));
    }

    [Fact]
    public async Task Without_NCCL_s_channel_lines_the_channel_count_is_what_the_configuration_pins_or_one()
    {
        NcclTestsBenchmark benchmark = Benchmark(overrides: [new("NCCL_DEBUG", "WARN")]);
        var call = new CollectiveCall(CollectiveOp.AllReduce, 1048576, 1, 8);

        CollectiveBenchmarkReading? defaults = await benchmark.MeasureAsync(call, NcclConfig.Default, CancellationToken.None);
        CollectiveBenchmarkReading? pinned = await benchmark.MeasureAsync(call, NcclConfig.Default.With(ParameterSpace.MaxChannels, "4").With(ParameterSpace.MinChannels, "4"), CancellationToken.None);

        defaults!.Channels.Should().Be(1);
        pinned!.Channels.Should().Be(4);
    }

    [Fact]
    public async Task A_failing_run_is_no_reading()
    {
        NcclTestsBenchmark benchmark = Benchmark("echo 'NCCL WARN bad' >&2; exit 1");

        CollectiveBenchmarkReading? reading = await benchmark.MeasureAsync(new CollectiveCall(CollectiveOp.AllGather, 4096, 1, 8), NcclConfig.Default, CancellationToken.None);

        Assert.Null(reading);
    }

    private NcclTestsBenchmark Benchmark(string script = FakePerf, IReadOnlyList<KeyValuePair<string, string>>? overrides = null) =>
        new(new ProcessJobOptions
        {
            // "{op}_perf" becomes $0 of the script, so the test sees the substituted binary name.
            Command = ["/bin/sh", "-c", script, "{op}_perf"],
            Environment = [new("OUT", _fx.Directory)],
            WorkingDirectory = _fx.Directory,
            StepTimeout = TimeSpan.FromSeconds(30),
            Overrides = overrides ?? [],
        }, _fx.Directory, iters: 20, warmupIters: 5);
}
