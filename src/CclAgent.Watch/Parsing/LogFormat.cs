namespace CclAgent.Watch.Parsing;

/// <summary>The training-log formats watch understands (see docs/watch.md).</summary>
public enum LogFormat
{
    /// <summary>Detect per line.</summary>
    Auto,

    /// <summary>MMEngine ≥0.x: <c>Epoch(train) [1][10/90]  lr: …  loss: …</c>.</summary>
    MmEngine,

    /// <summary>mmcv-era OpenMMLab: <c>Epoch [1][2400/7517]\tlr: 0.00125, eta: …</c>.</summary>
    Mmcv,

    /// <summary>Hugging Face Trainer: <c>{'loss': 3.55, 'grad_norm': …}</c> plus tqdm bars.</summary>
    HuggingFace,

    /// <summary>detectron2's <c>d2.utils.events</c> lines and <c>copypaste:</c> evaluation results.</summary>
    Detectron2,

    /// <summary>One JSON object of scalars per line (MMEngine scalars.json, detectron2 metrics.json).</summary>
    Jsonl,

    /// <summary>Plain <c>key: value</c> or <c>key=value</c> pairs (Keras progress lines, custom loops).</summary>
    KeyValue,
}
