using System.Globalization;
using CclAgent.Nccl.Collectives;
using CclAgent.Nccl.NcclTests;
using CclAgent.Nccl.Parameters;
using CclAgent.Simulation.CostModel;
using CclAgent.Simulation.Hardware;
using CclAgent.Simulation.Truth;

namespace CclAgent.Simulation.NcclTests;

/// <summary>
/// Prints what a `*_perf` binary of nccl-tests would print on the simulated cluster: NCCL's algorithm choice
/// (restricted by the NCCL_* configuration) timed by the ground-truth model, with small seeded noise, in
/// nccl-tests' exact output format. It stands in for the real binary in dry-run and in tests, so a tuned
/// configuration changes the printed times the same way it would change a real run's.
/// </summary>
public sealed class NcclTestsEmulator(ClusterModel cluster)
{
    /// <summary>Rows per cycle before we stop (a real run with a tiny step over a huge range would take days).</summary>
    public const int MaxRows = 10_000;

    /// <summary>
    /// Shortest pause between the rows of an endless run (<see cref="NcclTestsRun.RunCycles"/> 0): small messages
    /// simulate in microseconds, and a reader must not be flooded with rows it cannot keep up with.
    /// </summary>
    public static readonly TimeSpan MinRowPause = TimeSpan.FromMilliseconds(5);

    private const double GiB = 1024.0 * 1024 * 1024;

    // A finite run with many cycles must not hold its whole output in memory before the caller sees it.
    private const int FlushChars = 64 * 1024;

    private readonly NcclSelector _selector = new(cluster);
    private readonly GroundTruthModel _truth = new(cluster);

    /// <summary>
    /// Writes the whole output of a finite run that does not block on a hang; the result says whether the run
    /// succeeded and, if not, what NCCL would have said. Endless and blocking runs need <see cref="RunAsync"/>.
    /// </summary>
    public NcclTestsEmulation Run(NcclTestsRun run, NcclConfig config, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(output);
        if (run.RunCycles == 0 || run.BlockOnHang)
        {
            throw new ArgumentException("an endless run (RunCycles 0) or one that blocks on a hang needs RunAsync", nameof(run));
        }

        foreach (Step step in Steps(run, config, output))
        {
            if (step.Result is { } result)
            {
                return result;
            }
        }

        throw new InvalidOperationException("the emulation ended without a result");
    }

    /// <summary>
    /// Writes the output as a real binary would over time: an endless run flushes each row and paces it by its
    /// simulated time (at least <see cref="MinRowPause"/>); a run with <see cref="NcclTestsRun.BlockOnHang"/> on a
    /// configuration that hangs flushes the table header and then waits for <paramref name="cancellationToken"/>.
    /// Both end only by cancellation (<see cref="OperationCanceledException"/>), like a real run that is killed.
    /// </summary>
    public async Task<NcclTestsEmulation> RunAsync(NcclTestsRun run, NcclConfig config, TextWriter output, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(time);

        using var text = new StringWriter(CultureInfo.InvariantCulture);
        foreach (Step step in Steps(run, config, text))
        {
            if (step.Result is { } result)
            {
                await DrainAsync(text, output, cancellationToken);
                return result;
            }

            if (step.Blocks)
            {
                await DrainAsync(text, output, cancellationToken);
                await Task.Delay(Timeout.InfiniteTimeSpan, time, cancellationToken);
            }
            else if (step.Pause > TimeSpan.Zero)
            {
                await DrainAsync(text, output, cancellationToken);
                await Task.Delay(step.Pause, time, cancellationToken);
            }
            else if (text.GetStringBuilder().Length >= FlushChars)
            {
                await DrainAsync(text, output, cancellationToken);
            }
        }

        throw new InvalidOperationException("the emulation ended without a result");
    }

    /// <summary>Bytes and count as nccl-tests prints them: element counts rounded to whole per-rank shares for gather/scatter.</summary>
    public static (long Bytes, long Count) Shape(NcclTestsRun run, long size)
    {
        ArgumentNullException.ThrowIfNull(run);
        long elements = size / run.DataTypeBytes;
        int ranks = run.Nodes * run.RanksPerNode;
        return run.Op is CollectiveOp.AllGather or CollectiveOp.ReduceScatter
            ? (elements / ranks * ranks * run.DataTypeBytes, elements / ranks)
            : (elements * run.DataTypeBytes, elements);
    }

    /// <summary>
    /// The output, written to <paramref name="output"/> in pieces: a step after each piece says whether the caller
    /// should flush and wait, block, or take the final result. Sync and async callers share this one sequence.
    /// </summary>
    private IEnumerable<Step> Steps(NcclTestsRun run, NcclConfig config, TextWriter output)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(run.RunCycles);
        long maxBytes = run.MaxBytes;
        long minBytes = run.MinBytes;
        WriteDeviceReport(run, output);

        // nccl-tests keeps send, receive and (when checking) expected buffers of maxBytes, and shrinks maxBytes to fit.
        double memory = cluster.GpuMemoryGib * GiB;
        double reserve = Math.Min(Math.Ceiling(memory / (16 * GiB)) * GiB, 4 * GiB);
        long memMaxBytes = (long)((memory - reserve - GiB) / (run.Check > 0 ? 3 : 2));
        if (maxBytes > memMaxBytes)
        {
            maxBytes = memMaxBytes;
            minBytes = Math.Min(minBytes, maxBytes);
            output.Write(Invariant($"#\n# Reducing maxBytes to {maxBytes} due to memory limitation\n"));
        }

        var largest = new CollectiveCall(run.Op, maxBytes, run.Nodes, run.RanksPerNode);
        var hazards = new HazardModel(cluster, [largest], reserve / GiB);
        Outcome outcome = hazards.Evaluate(config);
        if (outcome.Kind == OutcomeKind.Hang && run.BlockOnHang)
        {
            // A real hang stalls in the first (warm-up) collective: the header is out, no row ever follows.
            NcclTestsTableWriter.WriteHeader(output, run.CpuTime);
            yield return new Step(TimeSpan.Zero, Blocks: true, null);
            yield break;
        }

        if (outcome.Kind is OutcomeKind.InitError or OutcomeKind.OutOfMemory or OutcomeKind.Hang)
        {
            yield return Done(Fail(output, outcome.Kind == OutcomeKind.Hang ? "simulated hang: " + outcome.Message : outcome.Message ?? "NCCL error"));
            yield break;
        }

        if (run.DebugInfo)
        {
            WriteChannelLines(output, largest, config);
        }

        NcclTestsTableWriter.WriteHeader(output, run.CpuTime);
        bool endless = run.RunCycles == 0;
        var random = new Random(run.Seed);
        double sigma = 0.01 * Math.Sqrt(20.0 / Math.Max(1, run.Iterations));
        double busSum = 0;
        long busCount = 0;
        long wrongTotal = 0;

        // nccl-tests' TimeTest: `repeat = run_cycles; do { size loop } while (--repeat);` so 0 never ends.
        long repeat = run.RunCycles;
        do
        {
            int rows = 0;
            for (long size = minBytes; size <= maxBytes && rows < MaxRows; size = run.StepFactor > 1 ? size * run.StepFactor : size + Math.Max(1, run.StepBytes), rows++)
            {
                (long bytes, long count) = Shape(run, size);
                var call = new CollectiveCall(run.Op, bytes, run.Nodes, run.RanksPerNode);
                NcclDecision? decision = bytes == 0 ? null : _selector.Choose(call, config);
                if (bytes > 0 && decision is null)
                {
                    yield return Done(Fail(output, $"NCCL WARN Error : no algorithm/protocol available for function {run.Op} with datatype {run.DataType}; ncclInvalidUsage"));
                    yield break;
                }

                double timeUs = decision is null ? 0.2 : _truth.CallTimeUs(call, decision, config);
                if (run.DebugInfo && decision is not null)
                {
                    WriteTuningLine(output, run.Op, bytes, decision);
                }

                long wrong = outcome.Kind == OutcomeKind.Corrupted && bytes > 0 ? Math.Max(1, count / 7) : 0;
                NcclTestsMeasurement outOfPlace = Measure(call, bytes, timeUs * Noise(random, sigma), run.Check, wrong);
                NcclTestsMeasurement inPlace = Measure(call, bytes, timeUs * Noise(random, sigma), run.Check, wrong);
                wrongTotal += run.Check > 0 ? 2 * wrong : 0;
                busSum += outOfPlace.BusBw!.Value + inPlace.BusBw!.Value;
                busCount += 2;
                NcclTestsTableWriter.WriteRow(output, new NcclTestsRow(bytes, count, run.DataType, RedOpName(run), RootOf(run), outOfPlace, inPlace));
                yield return new Step(endless ? RowPause(run, outOfPlace, inPlace) : TimeSpan.Zero, Blocks: false, null);
            }
        }
        while (endless || --repeat > 0);

        NcclTestsTableWriter.WriteFooter(output, wrongTotal, busCount == 0 ? 0 : busSum / busCount, run.ProgramName);
        yield return Done(wrongTotal > 0
            ? new NcclTestsEmulation(false, outcome.Message)
            : new NcclTestsEmulation(true, null));
    }

    /// <summary>What the row took on the simulated GPUs: -n timed iterations of each of the two blocks.</summary>
    private static TimeSpan RowPause(NcclTestsRun run, NcclTestsMeasurement outOfPlace, NcclTestsMeasurement inPlace)
    {
        TimeSpan simulated = TimeSpan.FromMicroseconds(Math.Max(1, run.Iterations) * (outOfPlace.TimeUs!.Value + inPlace.TimeUs!.Value));
        return simulated > MinRowPause ? simulated : MinRowPause;
    }

    private static async Task DrainAsync(StringWriter text, TextWriter output, CancellationToken cancellationToken)
    {
        await output.WriteAsync(text.GetStringBuilder(), cancellationToken);
        text.GetStringBuilder().Clear();
        await output.FlushAsync(cancellationToken);
    }

    /// <summary>
    /// NCCL's INFO line per ring channel at communicator init (graph/connect.cc: "Channel %02d/%02d : ranks"),
    /// which is where a reader of real nccl-tests output learns the channel count.
    /// </summary>
    private void WriteChannelLines(TextWriter output, CollectiveCall call, NcclConfig config)
    {
        int channels = _selector.Choose(call, config)?.Channels ?? 1;
        string ring = string.Join(' ', Enumerable.Range(0, call.Ranks).Select(r => Invariant($"{r,3}")));
        for (int c = 0; c < channels; c++)
        {
            output.Write(Invariant($"sim:0:0 [0] NCCL INFO Channel {c:00}/{channels:00} : {ring}\n"));
        }
    }

    /// <summary>
    /// NCCL's INFO line naming what it chose for a call (enqueue.cc, NCCL 2.22 and later: "AllReduce: 1048576 Bytes ->
    /// Algo RING proto SIMPLE channel{Lo..Hi}={0..15}"), so a reader can compare the simulator's choice per size with a
    /// real NCCL_DEBUG=INFO log. Real NCCL prints it on rank 0 for every call; once per size, before its row, is enough here.
    /// </summary>
    private static void WriteTuningLine(TextWriter output, CollectiveOp op, long bytes, NcclDecision decision) =>
        output.Write(Invariant($"sim:0:0 [0] NCCL INFO {FunctionName(op)}: {bytes} Bytes -> Algo {AlgorithmName(decision.Algorithm)} proto {ProtocolName(decision.Protocol)} channel{{Lo..Hi}}={{0..{Math.Max(1, decision.Channels) - 1}}}\n"));

    private static string FunctionName(CollectiveOp op) => op switch
    {
        CollectiveOp.AllReduce => "AllReduce",
        CollectiveOp.AllGather => "AllGather",
        CollectiveOp.ReduceScatter => "ReduceScatter",
        CollectiveOp.Broadcast => "Broadcast",
        _ => "Reduce",
    };

    /// <summary>As NCCL's ncclAlgoToString spells them in its logs.</summary>
    private static string AlgorithmName(NcclAlgorithm algorithm) => algorithm switch
    {
        NcclAlgorithm.Tree => "TREE",
        NcclAlgorithm.Ring => "RING",
        NcclAlgorithm.CollnetDirect => "COLLNET_DIRECT",
        NcclAlgorithm.CollnetChain => "COLLNET_CHAIN",
        NcclAlgorithm.Nvls => "NVLS",
        NcclAlgorithm.NvlsTree => "NVLS_TREE",
        _ => "PAT",
    };

    private static string ProtocolName(NcclProtocol protocol) => protocol switch
    {
        NcclProtocol.LL => "LL",
        NcclProtocol.LL128 => "LL128",
        _ => "SIMPLE",
    };

    private static NcclTestsMeasurement Measure(CollectiveCall call, long bytes, double timeUs, int check, long wrong)
    {
        // algbw = S / t (GB/s); busbw applies nccl-tests' per-collective factor (2(n-1)/n for all-reduce, …).
        double algBw = bytes / (timeUs * 1e3);
        double busBw = call.Ranks > 1 ? algBw * call.BusBandwidthFactor : 0;
        return new NcclTestsMeasurement(timeUs, algBw, busBw, check > 0 ? wrong : null);
    }

    private static double Noise(Random random, double sigma)
    {
        double u1 = 1.0 - random.NextDouble();
        double u2 = random.NextDouble();
        return Math.Exp(sigma * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
    }

    private static string RedOpName(NcclTestsRun run) => run.Op is CollectiveOp.AllGather or CollectiveOp.Broadcast ? "none" : run.RedOp;

    private static int RootOf(NcclTestsRun run) => run.Op is CollectiveOp.Broadcast or CollectiveOp.Reduce ? run.Root : -1;

    private void WriteDeviceReport(NcclTestsRun run, TextWriter output)
    {
        output.Write("# nccl-tests version 2.17.6 nccl-headers=22803 nccl-library=22803\n");
        output.Write(Invariant($"# Collective test starting: {run.ProgramName}\n"));
        string step = run.StepFactor > 1 ? Invariant($"{run.StepFactor}(factor)") : Invariant($"{run.StepBytes}(bytes)");
        output.Write(Invariant($"# nThread {run.Threads} nGpus {run.GpusPerThread} minBytes {run.MinBytes} maxBytes {run.MaxBytes} step: {step} warmup iters: {run.WarmupIterations} iters: {run.Iterations} agg iters: {run.AggregatedIterations} validation: {run.Check} graph: {run.Graph} unalign: 0\n"));
        if (run.Blocking == 1)
        {
            output.Write("# Blocking Enabled: wait and barrier after each inner iteration (-m) \n");
        }

        output.Write("#\n# Using devices\n");
        int ranks = run.Nodes * run.RanksPerNode;
        int shown = Math.Min(ranks, 1024);
        for (int rank = 0; rank < shown; rank++)
        {
            int node = rank / run.RanksPerNode;
            int device = rank % run.RanksPerNode;
            string host = Invariant($"sim-node{node}");
            output.Write(Invariant($"#  Rank {rank,2} Group {0,2} Pid {10000 + rank,6} on {host,10} device {device,2} [{0:x4}:{0x18 + (device * 0x10) & 0xff:x2}:{0:x2}] NVIDIA {run.GpuName} ({cluster.Platform.Generation}, simulated)\n"));
        }
    }

    private static Step Done(NcclTestsEmulation result) => new(TimeSpan.Zero, Blocks: false, result);

    private static NcclTestsEmulation Fail(TextWriter output, string message)
    {
        // nccl-tests reports a failed NCCL call on stdout as "<host>: Test NCCL failure <file>:<line> '<error>'".
        output.Write(Invariant($"sim-node0: Test NCCL failure common.cu:1 '{message}'\n"));
        return new NcclTestsEmulation(false, message);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>Where the caller may hand output on: after a row (pausing an endless run), before blocking, or at the end with the result.</summary>
    private readonly record struct Step(TimeSpan Pause, bool Blocks, NcclTestsEmulation? Result);
}
