namespace CclAgent.Nccl.Tuner;

/// <summary>How a job finds its tuner conf: the example plugin reads the file NCCL_TUNER_CONFIG_FILE names.</summary>
public static class TunerConfFiles
{
    public const string Variable = "NCCL_TUNER_CONFIG_FILE";

    /// <summary>Set by the user (or the workload's job environment) to load a tuner plugin into NCCL.</summary>
    public const string PluginVariable = "NCCL_TUNER_PLUGIN";
}
