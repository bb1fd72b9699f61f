using System.Globalization;
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
    /// <summary>Rows before we stop (a real run with a tiny step over a huge range would take days).</summary>
    public const int MaxRows = 10_000;

    private const double GiB = 1024.0 * 1024 * 1024;
    private readonly NcclSelector _selector = new(cluster);
    private readonly GroundTruthModel _truth = new(cluster);

    /// <summary>Writes the whole output; the result says whether the run succeeded and, if not, what NCCL would have said.</summary>
    public NcclTestsEmulation Run(NcclTestsRun run, NcclConfig config, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(output);

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
        if (outcome.Kind is OutcomeKind.InitError or OutcomeKind.OutOfMemory or OutcomeKind.Hang)
        {
            return Fail(output, outcome.Kind == OutcomeKind.Hang ? "simulated hang: " + outcome.Message : outcome.Message ?? "NCCL error");
        }

        NcclTestsTableWriter.WriteHeader(output, run.CpuTime);
        var random = new Random(run.Seed);
        double sigma = 0.01 * Math.Sqrt(20.0 / Math.Max(1, run.Iterations));
        double busSum = 0;
        long busCount = 0;
        long wrongTotal = 0;
        int rows = 0;
        for (long size = minBytes; size <= maxBytes && rows < MaxRows; size = run.StepFactor > 1 ? size * run.StepFactor : size + Math.Max(1, run.StepBytes), rows++)
        {
            (long bytes, long count) = Shape(run, size);
            var call = new CollectiveCall(run.Op, bytes, run.Nodes, run.RanksPerNode);
            double? baseUs = bytes == 0 ? 0.2 : CallTimeUs(call, config);
            if (baseUs is not double timeUs)
            {
                return Fail(output, $"NCCL WARN Error : no algorithm/protocol available for function {run.Op} with datatype {run.DataType}; ncclInvalidUsage");
            }

            long wrong = outcome.Kind == OutcomeKind.Corrupted && bytes > 0 ? Math.Max(1, count / 7) : 0;
            NcclTestsMeasurement outOfPlace = Measure(call, bytes, timeUs * Noise(random, sigma), run.Check, wrong);
            NcclTestsMeasurement inPlace = Measure(call, bytes, timeUs * Noise(random, sigma), run.Check, wrong);
            wrongTotal += run.Check > 0 ? 2 * wrong : 0;
            busSum += outOfPlace.BusBw!.Value + inPlace.BusBw!.Value;
            busCount += 2;
            NcclTestsTableWriter.WriteRow(output, new NcclTestsRow(bytes, count, run.DataType, RedOpName(run), RootOf(run), outOfPlace, inPlace));
        }

        NcclTestsTableWriter.WriteFooter(output, wrongTotal, busCount == 0 ? 0 : busSum / busCount, run.ProgramName);
        return wrongTotal > 0
            ? new NcclTestsEmulation(false, outcome.Message)
            : new NcclTestsEmulation(true, null);
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

    private double? CallTimeUs(CollectiveCall call, NcclConfig config)
    {
        NcclDecision? decision = _selector.Choose(call, config);
        return decision is null ? null : _truth.CallTimeUs(call, decision, config);
    }

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

    private static NcclTestsEmulation Fail(TextWriter output, string message)
    {
        // nccl-tests reports a failed NCCL call on stdout as "<host>: Test NCCL failure <file>:<line> '<error>'".
        output.Write(Invariant($"sim-node0: Test NCCL failure common.cu:1 '{message}'\n"));
        return new NcclTestsEmulation(false, message);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
