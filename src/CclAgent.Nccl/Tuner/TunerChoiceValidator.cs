using CclAgent.Nccl.Parameters;
using CclAgent.Nccl.Platforms;

namespace CclAgent.Nccl.Tuner;

/// <summary>
/// Per-collective choices NCCL would silently ignore are errors here, not no-ops: the plugin skips a row whose
/// algorithm × protocol NCCL marked unavailable (not implemented for the op or platform, LL128 not enabled on this
/// platform, disabled by NCCL_ALGO / NCCL_PROTO, which therefore must not be set beside a tuner conf).
/// Sources: plugins/tuner/example/plugin.c (NCCL_ALGO_PROTO_IGNORE), src/graph/tuning.cc (LL128 enablement).
/// </summary>
public static class TunerChoiceValidator
{
    public static IReadOnlyList<ConfigViolation> Validate(NcclConfig config, NcclPlatform platform)
    {
        var violations = new List<ConfigViolation>();
        if (!config.HasChoices)
        {
            return violations;
        }

        if (config.Algorithm is not null || config.Protocol is not null)
        {
            // Rows within what NCCL_ALGO / NCCL_PROTO leave still apply (a job tuned in place keeps its environment); others never would.
            string names = string.Join(" and ", new[] { config.Algorithm is null ? null : ParameterSpace.Algo, config.Protocol is null ? null : ParameterSpace.Proto }.Where(n => n is not null));
            foreach ((TunerKey key, TunerChoice choice) in config.Choices.Where(c => (config.Algorithm is { } a && c.Value.Algorithm != a) || (config.Protocol is { } p && c.Value.Protocol != p)))
            {
                violations.Add(new([names, key.Name], ViolationSeverity.Error, "tuner-env-override",
                    $"{names} in the environment disables {TunerConfNames.AlgorithmName(choice.Algorithm)}/{TunerConfNames.ProtocolName(choice.Protocol)} in NCCL's cost table, so the tuner plugin's row for {key.Name} would be silently skipped; choose within what the environment leaves, or drop the variable"));
            }
        }

        foreach ((TunerKey key, TunerChoice choice) in config.Choices)
        {
            if (Problem(key, choice, platform) is { } problem)
            {
                violations.Add(new([key.Name], ViolationSeverity.Error, "tuner-choice-unavailable", problem));
            }
        }

        return violations;
    }

    /// <summary>Why NCCL would skip this choice for this collective, or null when it would apply it.</summary>
    public static string? Problem(TunerKey key, TunerChoice choice, NcclPlatform platform)
    {
        if (!Availability.Supports(choice.Algorithm, key.Op, platform))
        {
            return $"{TunerConfNames.AlgorithmName(choice.Algorithm)} is not available for {TunerConfNames.OpName(key.Op)} on this platform; the plugin's row would be skipped and NCCL's own choice would stand";
        }

        if (!Availability.Supports(choice.Algorithm, choice.Protocol))
        {
            return $"{TunerConfNames.AlgorithmName(choice.Algorithm)} runs only the simple protocol; a {TunerConfNames.ProtocolName(choice.Protocol)} row would be skipped";
        }

        if (choice.Protocol == NcclProtocol.LL128 && !platform.Ll128Supported)
        {
            return "NCCL does not enable LL128 on this platform (tuning.cc), so its cost-table cell is ignored and the row would be skipped";
        }

        return null;
    }
}
