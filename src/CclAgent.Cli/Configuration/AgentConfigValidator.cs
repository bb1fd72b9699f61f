using CclAgent.Core.Validation;

namespace CclAgent.Cli.Configuration;

/// <summary>Range checks for the agent config file, reported with JSON paths.</summary>
public static class AgentConfigValidator
{
    public static IReadOnlyList<InputProblem> Validate(AgentConfig config, string file)
    {
        var problems = new ProblemCollector(file);
        problems.RequireRange(config.Budget, "$.budget", 1, 1000, required: false);
        problems.RequireRange(config.Iterations, "$.iterations", 1, 100000, required: false);
        problems.RequireRange(config.WarmupIterations, "$.warmup_iterations", 0, 100000, required: false);
        problems.RequireRange(config.PlateauSteps, "$.plateau_steps", 1, 1000, required: false);
        problems.RequireRange(config.TargetSpeedup, "$.target_speedup", 1, 100, required: false);
        problems.RequireRange(config.SlaMaxIterationMs, "$.sla_max_iteration_ms", 0.001, 1e9, required: false);
        problems.RequireRange(config.NoiseSigma, "$.noise_sigma", 0, 0.5, required: false);
        problems.RequireRange(config.TransientFaultRate, "$.transient_fault_rate", 0, 1, required: false);
        problems.RequireOneOf(config.Provider, "$.provider", ["none", "ollama", "openai", "anthropic"], required: false);
        problems.RequireRange(config.LlmTimeoutSeconds, "$.llm_timeout_seconds", 0.1, 3600, required: false);
        problems.RequireRange(config.LlmRetries, "$.llm_retries", 0, 5, required: false);
        problems.RequireRange(config.LlmEvery, "$.llm_every", 1, 1000, required: false);
        problems.RequireRange(config.LlmMaxCalls, "$.llm_max_calls", 1, 1000, required: false);
        problems.RequireRange(config.LlmContextTokens, "$.llm_context_tokens", 200, 200000, required: false);
        return problems.Problems;
    }
}
