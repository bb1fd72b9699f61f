namespace CclAgent.Tuning.Records;

/// <summary>
/// offline/replay.json: what a run's decisions depended on besides its own measurements, so that <c>ccl-agent replay</c>
/// can re-derive them from the run directory alone.
/// </summary>
public sealed record ReplayInputs
{
    /// <summary>The run-directory schema this file belongs to; replay refuses another with a message naming both.</summary>
    public const int CurrentSchema = 2;

    public int Schema { get; init; } = CurrentSchema;

    /// <summary>Whether the job applied per-collective tuner tables (the search offers per-collective choices only then).</summary>
    public required bool AppliesTunerConf { get; init; }

    /// <summary>The copy of the memory as the run found it (offline/memory_at_start.db), or null when the memory was empty.</summary>
    public string? MemorySnapshot { get; init; }

    /// <summary>The copy of the cross-run model the run loaded (offline/crossrun_at_start.zip), or null when there was none.</summary>
    public string? CrossRunModel { get; init; }

    /// <summary>
    /// How the run asked its language model, or null when it had none (<c>--provider none</c>): replay answers each of
    /// its calls from the prompt packs. Optional, so a schema-2 record from before it replays as a run without a model.
    /// </summary>
    public RecordedModel? Model { get; init; }
}
