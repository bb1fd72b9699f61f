using CclAgent.Core.Workloads;

namespace CclAgent.Bench.Strategies;

/// <summary>
/// What one AutoCCL candidate evaluation costs inside the running job (gbxu/autoccl, optimizers/optimizer.h): each
/// candidate is profiled for <see cref="ProfileRepeat"/> calls of the collective, timed by CUDA events, with no restart
/// and no re-init; the native choice first runs <see cref="WarmupCalls"/> calls whose samples are dropped.
/// <para>
/// The per-collective seam: today a candidate is one global configuration applied to every collective, so an
/// evaluation ends when the least-called collective has been profiled <see cref="ProfileRepeat"/> times:
/// ceil(repeat / its calls per iteration) iterations. AutoCCL's candidates are per communication task (workload key
/// {communicator, op, bytes}); once the simulator applies a per-collective tuner table, each key evaluates its own
/// candidate concurrently in the same iterations, so <see cref="Iterations"/> takes that key's calls and a round of
/// candidates costs the maximum over keys, not the sum. Only this class and the strategy's candidate source change.
/// </para>
/// </summary>
internal sealed class AutocclInJobEvaluation(WorkloadSpec workload)
{
    /// <summary>TUNER_PROFILE_REPEAT in AutoCCL's example run.sh (its default is 1): timed samples per candidate, one per profiled call.</summary>
    public const int ProfileRepeat = 5;

    /// <summary>TUNER_WARMUP_STEPS' default.</summary>
    public const int WarmupCalls = 5;

    private readonly int _calls = Math.Max(1, workload.Iteration!.Collectives!.Min(c => c.Count));

    /// <summary>Training iterations one candidate needs.</summary>
    public double Iterations => Math.Ceiling(ProfileRepeat / (double)_calls);

    /// <summary>Training iterations of the native warm-up before the first candidate.</summary>
    public double WarmupIterations => Math.Ceiling(WarmupCalls / (double)_calls);
}
