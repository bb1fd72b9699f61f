namespace CclAgent.Watch.Parsing;

/// <summary>The command-line names of <see cref="LogFormat"/>.</summary>
public static class LogFormats
{
    private static readonly (LogFormat Format, string Name)[] Names =
    [
        (LogFormat.Auto, "auto"), (LogFormat.MmEngine, "mmengine"), (LogFormat.Mmcv, "mmcv"), (LogFormat.HuggingFace, "hf"),
        (LogFormat.Detectron2, "detectron2"), (LogFormat.Jsonl, "jsonl"), (LogFormat.KeyValue, "kv"), (LogFormat.NanoGpt, "nanogpt"),
        (LogFormat.Llmc, "llmc"), (LogFormat.Megatron, "megatron"), (LogFormat.DeepSpeed, "deepspeed"), (LogFormat.Fairseq, "fairseq"),
        (LogFormat.Torchtitan, "torchtitan"), (LogFormat.Lightning, "lightning"), (LogFormat.LlamaFactory, "llamafactory"),
        (LogFormat.Olmo, "olmo"),
    ];

    /// <summary>Every accepted <c>--format</c> value.</summary>
    public static IReadOnlyList<string> All { get; } = Names.Select(n => n.Name).ToArray();

    public static string Name(LogFormat format) => Names.First(n => n.Format == format).Name;

    public static LogFormat Parse(string name) => Names.First(n => string.Equals(n.Name, name, StringComparison.OrdinalIgnoreCase)).Format;
}
