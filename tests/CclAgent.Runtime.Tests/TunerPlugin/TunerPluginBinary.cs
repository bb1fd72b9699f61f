using CclAgent.Testing;

namespace CclAgent.Runtime.Tests.TunerPlugin;

/// <summary>
/// ccl-agent's own tuner plugin, built by scripts/build-tuner-plugin.sh (scripts/test.sh runs it before dotnet test)
/// into native/nccl-tuner/build/. A missing binary fails the test that needs it, with the command that builds it.
/// </summary>
internal static class TunerPluginBinary
{
    /// <summary>Another build of the plugin, used only when the repository has none (a branch without native/ yet).</summary>
    public const string OverrideVariable = "CCL_AGENT_TUNER_PLUGIN";

    public static string InRepository { get; } = System.IO.Path.Combine(RepoPaths.Root, "native", "nccl-tuner", "build", "libnccl-tuner-ccl-agent.so");

    public static string Location
    {
        get
        {
            string? fallback = Environment.GetEnvironmentVariable(OverrideVariable);
            string path = File.Exists(InRepository) || string.IsNullOrEmpty(fallback) ? InRepository : fallback;
            File.Exists(path).Should().BeTrue($"the tuner plugin must be built first: {path} is missing (run bash scripts/build-tuner-plugin.sh)");
            return path;
        }
    }
}
