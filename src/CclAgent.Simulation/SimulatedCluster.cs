using CclAgent.Nccl.Tuner;
using CclAgent.Core.Workloads;
using CclAgent.Nccl.Collectives;
using CclAgent.Nccl.Parameters;
using CclAgent.Nccl.Search;
using CclAgent.Simulation.CostModel;
using CclAgent.Simulation.Hardware;
using CclAgent.Simulation.Truth;

namespace CclAgent.Simulation;

/// <summary>
/// A simulated cluster running one workload. <see cref="Estimate"/> is the noise-free truth used by
/// the oracle; <see cref="Measure"/> is what a real job reports: per-iteration samples with seeded
/// noise and stragglers. Nothing in here knows which tuner asks or how many steps it has taken.
/// </summary>
public sealed class SimulatedCluster
{
    private readonly NcclSelector _selector;
    private readonly GroundTruthModel _truth;
    private readonly HazardModel _hazards;
    private readonly List<(CollectiveSpec Spec, CollectiveCall Call)> _collectives;
    private readonly List<(CollectiveSpec Spec, CollectiveCall Call)> _distinct;
    private readonly double _computeMs;
    private readonly Random _random;
    // Keyed by the call, not the entry: identical entries of a long per-layer list share one decision per configuration.
    private readonly Dictionary<(CollectiveCall, NcclAlgorithm?, NcclProtocol?, int?, long?, int?, int?, TunerChoice?), NcclDecision?> _decisions = [];

    public SimulatedCluster(WorkloadSpec workload, SimulationOptions options)
    {
        Options = options;
        Cluster = ClusterModel.From(workload.Cluster!);
        _selector = new NcclSelector(Cluster);
        _truth = new GroundTruthModel(Cluster);
        _collectives = workload.Iteration!.Collectives!.Select(c => (c, CollectiveCall.From(c))).ToList();
        _distinct = Distinct(_collectives);
        TunerKeys = _distinct.Select(c => TunerKey.From(c.Call)).Distinct().ToList();
        IterationCalls = _distinct.Select(c => (c.Call, TunerKey.From(c.Call), c.Spec.Count)).ToList();
        _computeMs = workload.Iteration.ComputeMs ?? 0;
        _hazards = new HazardModel(Cluster, _collectives.Select(c => c.Call).ToList(), workload.Iteration.GpuMemoryHeadroomGib);
        _random = new Random(options.Seed);
        Ops = _collectives.Select(c => c.Call.Op).Distinct().ToArray();
        Space = SearchSpace.For(Cluster.Platform, Ops);
    }

    public SimulationOptions Options { get; }
    public ClusterModel Cluster { get; }
    public IReadOnlyList<CollectiveOp> Ops { get; }
    public SearchSpace Space { get; }
    public GroundTruthModel Truth => _truth;
    public NcclSelector Selector => _selector;
    public HazardModel Hazards => _hazards;

    /// <summary>The workload's collectives as a tuner plugin tells them apart, each once.</summary>
    public IReadOnlyList<TunerKey> TunerKeys { get; }

    /// <summary>
    /// What one iteration calls, as NCCL sees it: each distinct collective (same call and overlap merged) with its key and
    /// how many times an iteration calls it, in first-occurrence order. An in-job tuner is asked once per call.
    /// </summary>
    public IReadOnlyList<(CollectiveCall Call, TunerKey Key, int Count)> IterationCalls { get; }

    /// <summary>Compute time of one iteration without communication (ms).</summary>
    public double ComputeMs => _computeMs;

    /// <summary>The workload's distinct collectives (same call and overlap merged, counts summed), in first-occurrence order.</summary>
    internal IReadOnlyList<(CollectiveSpec Spec, CollectiveCall Call)> DistinctCollectives => _distinct;

    /// <summary>Noise-free iteration time: compute stretched by SM contention, plus exposed communication.</summary>
    public IterationEstimate Estimate(NcclConfig config)
    {
        Outcome outcome = _hazards.Evaluate(config);
        if (outcome.Kind is OutcomeKind.InitError or OutcomeKind.OutOfMemory or OutcomeKind.Hang)
        {
            return IterationEstimate.Failed(outcome);
        }

        var timings = new List<CollectiveTiming>(_distinct.Count);
        for (int i = 0; i < _distinct.Count; i++)
        {
            (CollectiveSpec spec, CollectiveCall call) = _distinct[i];
            NcclDecision? decision = Decide(call, config);
            if (decision is null)
            {
                return IterationEstimate.Failed(new Outcome(OutcomeKind.InitError,
                    $"NCCL WARN Error : no algorithm/protocol available for function {call.Op}", "no-algorithm"));
            }

            timings.Add(new CollectiveTiming(spec.Name ?? spec.Op!, call, decision, _truth.CallTimeUs(call, decision, config), spec.Count, spec.Overlap));
        }

        return Combine(outcome, timings);
    }

    /// <summary>One trial: per-iteration samples (ms) with noise, or the failure a real job would show.</summary>
    public TrialSamples Measure(NcclConfig config, int iterations)
    {
        IterationEstimate estimate = Estimate(config);
        if (Options.TransientFaultRate > 0 && _random.NextDouble() < Options.TransientFaultRate)
        {
            return new TrialSamples(new Outcome(OutcomeKind.TransientFault, "NET/IB : Got completion from peer with error 12, opcode 0, len 0, vendor err 129", "transient"), [], estimate);
        }

        if (!estimate.Outcome.IsOk)
        {
            return new TrialSamples(estimate.Outcome, [], estimate);
        }

        var samples = new double[iterations];
        for (int i = 0; i < iterations; i++)
        {
            double noise = Math.Exp(Options.NoiseSigma * Gaussian());
            if (_random.NextDouble() < Options.StragglerProbability)
            {
                noise *= 1.15 + (0.25 * _random.NextDouble());
            }

            samples[i] = estimate.IterationMs * noise;
        }

        return new TrialSamples(Outcome.Ok, samples, estimate);
    }

    /// <summary>
    /// What an in-job tuner times (CUDA events around each call): per collective key, <paramref name="samples"/>
    /// call durations in µs with the same noise model as <see cref="Measure"/>, or the failure the job would show.
    /// </summary>
    public CollectiveSamples MeasureCollectives(NcclConfig config, int samples)
    {
        IterationEstimate estimate = Estimate(config);
        if (!estimate.Outcome.IsOk)
        {
            return new CollectiveSamples(estimate.Outcome, new Dictionary<TunerKey, double[]>(), estimate);
        }

        var byKey = new Dictionary<TunerKey, double[]>();
        foreach (var group in estimate.Collectives.GroupBy(t => TunerKey.From(t.Call)))
        {
            double callUs = group.Sum(t => t.CallTimeUs * t.Count) / group.Sum(t => t.Count);
            var times = new double[samples];
            for (int i = 0; i < samples; i++)
            {
                double noise = Math.Exp(Options.NoiseSigma * Gaussian());
                if (_random.NextDouble() < Options.StragglerProbability)
                {
                    noise *= 1.15 + (0.25 * _random.NextDouble());
                }

                times[i] = callUs * noise;
            }

            byKey[group.Key] = times;
        }

        return new CollectiveSamples(Outcome.Ok, byKey, estimate);
    }

    /// <summary>One collective alone (nccl-tests style), noise-free, in µs; null when it cannot run.</summary>
    public double? CollectiveTimeUs(CollectiveCall call, NcclConfig config)
    {
        NcclDecision? decision = _selector.Choose(call, config);
        return decision is null ? null : _truth.CallTimeUs(call, decision, config);
    }

    public double NextGaussian() => Gaussian();

    /// <summary>A collective overlapping compute competes for memory bandwidth and runs ~8% slower.</summary>
    internal const double OverlapSlowdown = 1.08;

    /// <summary>
    /// Entries with the same call and overlap cost the same: one timing weighted by their summed count, so the oracle's
    /// pass over the whole space costs what the workload's distinct shapes cost. First-occurrence order; no repeats, no change.
    /// </summary>
    private static List<(CollectiveSpec Spec, CollectiveCall Call)> Distinct(List<(CollectiveSpec Spec, CollectiveCall Call)> collectives)
    {
        var groups = new List<(CollectiveSpec Spec, CollectiveCall Call)>();
        var index = new Dictionary<(CollectiveCall, double), int>();
        foreach ((CollectiveSpec spec, CollectiveCall call) in collectives)
        {
            if (index.TryGetValue((call, spec.Overlap), out int at))
            {
                groups[at] = (groups[at].Spec with { Count = groups[at].Spec.Count + spec.Count }, call);
            }
            else
            {
                index[(call, spec.Overlap)] = groups.Count;
                groups.Add((spec, call));
            }
        }

        return groups;
    }

    private NcclDecision? Decide(CollectiveCall call, NcclConfig config)
    {
        var key = (call, config.Algorithm, config.Protocol, config.NThreads, config.BuffSize, config.MinChannels, config.MaxChannels, config.ChoiceFor(TunerKey.From(call)));
        if (!_decisions.TryGetValue(key, out NcclDecision? decision))
        {
            decision = _selector.Choose(call, config);
            _decisions[key] = decision;
        }

        return decision;
    }

    private IterationEstimate Combine(Outcome outcome, List<CollectiveTiming> timings)
    {
        double exposed = 0;
        double overlapped = 0;
        double smLoss = 0;
        foreach (CollectiveTiming timing in timings)
        {
            double total = timing.TotalMs;
            exposed += total * (1 - timing.Overlap);

            // While a collective overlaps compute, its channels hold SMs the kernels cannot use, and the
            // two compete for memory bandwidth (comm slows ~8%).
            double hidden = total * timing.Overlap * OverlapSlowdown;
            overlapped += hidden;
            smLoss += hidden * timing.Decision.Channels / Cluster.SmCount;
        }

        double compute = _computeMs + smLoss;
        double iteration = exposed + Math.Max(compute, overlapped);
        return new IterationEstimate(outcome, iteration, _computeMs, smLoss, exposed, overlapped, timings);
    }

    private double Gaussian()
    {
        double u1 = 1.0 - _random.NextDouble();
        double u2 = _random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
