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

    /// <summary>nanoGPT's <c>iter 100: loss 4.21, time 12.3ms, mfu 40%</c> and modded-nanogpt's <c>step:125/5100 train_loss:5.11 …</c>.</summary>
    NanoGpt,

    /// <summary>llm.c: <c>step   61/74 | loss 3.2 (+nanz)| norm 1.48 …</c> on stdout and <c>s:0 trl:11.0 lr:… norm:…</c> in its log file.</summary>
    Llmc,

    /// <summary>Megatron-LM: <c> iteration      100/    1000 | … | lm loss: 7.5E+00 | loss scale: 4096.0 | grad norm: 1.08 | …</c>.</summary>
    Megatron,

    /// <summary>DeepSpeed's engine lines (<c>[Rank 0] step=10, skipped=6, lr=[…]</c>, fp16 overflow) and DeepSpeed-Chat's <c>ppl:</c> evaluations.</summary>
    DeepSpeed,

    /// <summary>fairseq: <c>epoch 145:     21 / 282 loss=3.12, …, num_updates=40600, lr=…, gnorm=…, loss_scale=…</c> and its valid lines.</summary>
    Fairseq,

    /// <summary>torchtitan: <c>[rank0]:[titan] … - root - INFO - step:  10  loss:  9.84  memory: 21.1GiB(22.2%)  tps: …</c>.</summary>
    Torchtitan,

    /// <summary>PyTorch Lightning's progress bar: <c>Epoch 0:  45%|…| 450/1000 [01:23&lt;01:42,  5.37it/s, v_num=0, train_loss=2.31]</c>.</summary>
    Lightning,

    /// <summary>LLaMA-Factory's <c>trainer_log.jsonl</c>: <c>{"current_steps": 10, "total_steps": 1000, "loss": 2.1, …}</c>.</summary>
    LlamaFactory,

    /// <summary>allenai/OLMo: <c>[step=3/2500,epoch=0]</c> then one indented <c>train/CrossEntropyLoss=10.72</c> line per metric.</summary>
    Olmo,
}
