using CclAgent.Core.Secrets;
using CclAgent.Core.Workloads;
using CclAgent.Tuning;

namespace CclAgent.Cli.Configuration;

/// <summary>
/// config_snapshot.json: what the run used — the workload as loaded, the agent config file and the resolved options —
/// with credentials masked (<see cref="SecretRedactor"/>): the snapshot is shared, while the job gets the real values.
/// </summary>
public sealed record ConfigSnapshot(WorkloadSpec Workload, AgentConfig? AgentConfig, string? AgentConfigFile, TuningOptions Options, double NoiseSigma, double TransientFaultRate)
{
    /// <summary>The snapshot of a run, with every environment value, argv element and URL that may carry a credential masked.</summary>
    public static ConfigSnapshot Of(WorkloadSpec workload, AgentConfig? agentConfig, string? agentConfigFile, TuningOptions options, double noiseSigma, double transientFaultRate)
    {
        WorkloadSpec masked = workload with
        {
            Env = workload.Env?.ToDictionary(v => v.Key, v => SecretRedactor.RedactValue(v.Key, v.Value), StringComparer.Ordinal),
            Command = Arguments(workload.Command),
            Launcher = Launcher(workload.Launcher),
            Microbenchmark = workload.Microbenchmark is { } bench ? bench with { Command = Arguments(bench.Command), Launcher = Launcher(bench.Launcher) } : null,
        };
        AgentConfig? config = agentConfig is { LlmEndpoint: { } endpoint } ? agentConfig with { LlmEndpoint = SecretRedactor.Redact(endpoint) } : agentConfig;
        return new ConfigSnapshot(masked, config, agentConfigFile, options, noiseSigma, transientFaultRate);
    }

    private static List<string>? Arguments(IReadOnlyList<string>? argv) => argv is null ? null : [.. SecretRedactor.RedactArguments(argv)];

    private static LauncherSpec? Launcher(LauncherSpec? launcher) => launcher is null ? null : launcher with
    {
        ExtraArgs = Arguments(launcher.ExtraArgs),
        RdzvEndpoint = launcher.RdzvEndpoint is { } endpoint ? SecretRedactor.Redact(endpoint) : null,
    };
}
