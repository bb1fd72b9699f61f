using System.Globalization;
using CclAgent.Watch.Parsing;

namespace CclAgent.Watch.Analysis;

/// <summary>The checkpoint file each framework writes for a step or epoch, so advice can name the one to keep.</summary>
public static class CheckpointNames
{
    public static string For(LogFormat format, long? step, double? epoch)
    {
        var c = CultureInfo.InvariantCulture;
        string name = format switch
        {
            LogFormat.MmEngine or LogFormat.Mmcv when epoch is double e => string.Create(c, $"epoch_{(long)e}.pth"),
            LogFormat.MmEngine or LogFormat.Mmcv when step is long s => string.Create(c, $"iter_{s}.pth"),
            LogFormat.HuggingFace when step is long s => string.Create(c, $"checkpoint-{s}"),
            LogFormat.Detectron2 when step is long s => string.Create(c, $"model_{s:D7}.pth"),
            _ when step is long s => string.Create(c, $"the checkpoint of step {s}"),
            _ when epoch is double e => string.Create(c, $"the checkpoint of epoch {e:0.##}"),
            _ => "the latest checkpoint",
        };
        return name.StartsWith("the ", StringComparison.Ordinal) ? name : name + " (or the nearest one saved after it)";
    }
}
