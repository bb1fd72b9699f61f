using CclAgent.Core.Workloads;
using CclAgent.Tuning;

namespace CclAgent.Cli.Configuration;

/// <summary>config_snapshot.json: exactly what the run used — the workload as loaded, the agent config file and the resolved options.</summary>
public sealed record ConfigSnapshot(WorkloadSpec Workload, AgentConfig? AgentConfig, string? AgentConfigFile, TuningOptions Options, double NoiseSigma, double TransientFaultRate);
