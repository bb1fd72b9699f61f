namespace CclAgent.Watch.Records;

/// <summary>What a parsed log line reports.</summary>
public enum RecordKind
{
    /// <summary>A training-iteration line: loss, lr, grad norm, time per iteration…</summary>
    Train,

    /// <summary>Validation or test metrics.</summary>
    Eval,

    /// <summary>The end-of-training line (e.g. the Trainer's train_runtime dict).</summary>
    Final,

    /// <summary>The trainer saved a checkpoint (<see cref="MetricRecord.CheckpointPath"/>, at <see cref="MetricRecord.Step"/>).</summary>
    Checkpoint,
}
