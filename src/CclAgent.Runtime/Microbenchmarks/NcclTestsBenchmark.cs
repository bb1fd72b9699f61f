using System.Globalization;
using CclAgent.Core.Statistics;
using CclAgent.Nccl.Collectives;
using CclAgent.Nccl.Compilation;
using CclAgent.Nccl.Parameters;
using CclAgent.Runtime.Execution;
using CclAgent.Tuning.Jobs;
using CclAgent.Tuning.Offline;

namespace CclAgent.Runtime.Microbenchmarks;

/// <summary>
/// The real microbenchmark: one nccl-tests run (<c>all_reduce_perf</c> and friends, or any drop-in such as
/// <c>ccl-agent sim nccl-tests</c>) per collective size and configuration, started through the workload's
/// launcher with the configuration's NCCL variables, its output parsed like any job's. Each run's logs and
/// command record go to <c>offline/microbenchmark/run_&lt;n&gt;_*</c>.
/// </summary>
public sealed class NcclTestsBenchmark : ICollectiveBenchmark
{
    /// <summary>Replaced in every argv element by the collective's name (all_reduce, …).</summary>
    public const string OpPlaceholder = "{op}";

    private readonly ProcessJobOptions _template;
    private readonly string _runDirectory;
    private readonly int _iters;
    private readonly int _warmupIters;
    private readonly TimeProvider _time;
    private int _run;

    /// <param name="template">Command (with <c>{op}</c>), launcher, environment and timeout of every run.</param>
    /// <param name="runDirectory">The run directory.</param>
    /// <param name="iters">nccl-tests <c>-n</c>.</param>
    /// <param name="warmupIters">nccl-tests <c>-w</c>.</param>
    /// <param name="time">Clock of the run timeouts.</param>
    public NcclTestsBenchmark(ProcessJobOptions template, string runDirectory, int iters, int warmupIters, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(template);
        _template = template;
        _runDirectory = runDirectory;
        _iters = iters;
        _warmupIters = warmupIters;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Runs made so far (each one a process).</summary>
    public int Runs => _run;

    public async Task<CollectiveBenchmarkReading?> MeasureAsync(CollectiveCall collective, NcclConfig config, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(collective);
        int run = ++_run;
        string size = collective.Bytes.ToString(CultureInfo.InvariantCulture);
        string op = Name(collective.Op);
        List<string> argv = [.. _template.Command.Select(a => a.Replace(OpPlaceholder, op, StringComparison.Ordinal))];
        argv.AddRange(["-b", size, "-e", size, "-n", _iters.ToString(CultureInfo.InvariantCulture), "-w", _warmupIters.ToString(CultureInfo.InvariantCulture)]);

        var runner = new ProcessJobRunner(_template with { Command = argv, JobName = $"{_template.JobName}-{op}" }, _runDirectory, _time, Path.Combine("offline", "microbenchmark"), "run");
        var request = new JobRequest(run, null, config, [.. NcclEnvCompiler.Compile(config), .. DebugInfo()], 1, 0);
        JobResult result = await runner.RunAsync(request, cancellationToken);
        if (!result.IsOk)
        {
            return null;
        }

        // One nccl-tests row at this size per cycle (nccl-tests already averaged -n iterations): ms → µs.
        // nccl-tests does not print the channel count; NCCL does, at init with NCCL_DEBUG=INFO. Without it, what
        // the configuration pins (or one channel, the least NCCL opens) stands in.
        int channels = result.Metrics.TryGetValue(JobOutputCollector.ChannelsMetric, out double printed) ? (int)printed : config.MaxChannels ?? 1;
        return new CollectiveBenchmarkReading(RobustStats.Of(result.IterationMs).Median * 1000, channels);
    }

    /// <summary>NCCL_DEBUG=INFO so NCCL prints its channels, unless the user chose a debug level (workload env or --env).</summary>
    private KeyValuePair<string, string>[] DebugInfo() =>
        _template.Environment.Concat(_template.Overrides).Any(kv => kv.Key == "NCCL_DEBUG") ? [] : [new("NCCL_DEBUG", "INFO")];

    /// <summary>nccl-tests names its binaries after the collective: all_reduce_perf, all_gather_perf, …</summary>
    public static string Name(CollectiveOp op) => op switch
    {
        CollectiveOp.AllReduce => "all_reduce",
        CollectiveOp.AllGather => "all_gather",
        CollectiveOp.ReduceScatter => "reduce_scatter",
        CollectiveOp.Broadcast => "broadcast",
        CollectiveOp.Reduce => "reduce",
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "no nccl-tests binary for this collective"),
    };
}
