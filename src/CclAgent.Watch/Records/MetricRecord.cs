using CclAgent.Watch.Parsing;

namespace CclAgent.Watch.Records;

/// <summary>The numbers one log line reports, in common units (seconds, MB). Unknown fields are null.</summary>
public sealed record MetricRecord
{
    /// <summary>1-based line of the log this record came from.</summary>
    public required long Line { get; init; }

    public required RecordKind Kind { get; init; }

    public required LogFormat Format { get; init; }

    /// <summary>Global training iteration, when the line says (or implies) it.</summary>
    public long? Step { get; init; }

    /// <summary>The last iteration of the run, when the line says it (iteration-based loops, progress bars).</summary>
    public long? MaxStep { get; init; }

    /// <summary>Epoch (possibly fractional, as the Trainer logs it).</summary>
    public double? Epoch { get; init; }

    public double? Loss { get; init; }

    public double? LearningRate { get; init; }

    public double? GradNorm { get; init; }

    /// <summary>GPU memory in MB (MMEngine's <c>memory</c>, detectron2's <c>max_mem</c>).</summary>
    public double? MemoryMb { get; init; }

    /// <summary>Seconds per training iteration.</summary>
    public double? IterTimeSeconds { get; init; }

    /// <summary>Seconds per iteration spent waiting for data.</summary>
    public double? DataTimeSeconds { get; init; }

    /// <summary>The fp16 dynamic loss scale.</summary>
    public double? LossScale { get; init; }

    /// <summary>The ETA the training framework itself printed, in seconds.</summary>
    public double? FrameworkEtaSeconds { get; init; }

    /// <summary>Where the trainer said it saved a checkpoint (only for <see cref="RecordKind.Checkpoint"/>).</summary>
    public string? CheckpointPath { get; init; }

    /// <summary>Sub-losses (loss_cls, loss_bbox…).</summary>
    public IReadOnlyList<Metric> Losses { get; init; } = [];

    /// <summary>Evaluation metrics with their original names (eval_loss, coco/bbox_mAP, val_accuracy…).</summary>
    public IReadOnlyList<Metric> Eval { get; init; } = [];
}
