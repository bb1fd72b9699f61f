using System.Globalization;
using CclAgent.Nccl.Parameters;
using CclAgent.Nccl.Platforms;
using CclAgent.Nccl.Search;
using CclAgent.Tuning.Risk;
using CclAgent.Tuning.Search;

namespace CclAgent.Tuning.Advice;

/// <summary>
/// Checks a model's proposal exactly like any other candidate, plus what a model gets wrong most:
/// names ccl-agent does not tune, values off the search grid, duplicates. Then the parameter space's rules
/// and the risk scorer (hazards, avoid-rules, memory headroom) decide; a blocked proposal is refused.
/// </summary>
internal sealed class ProposalValidator(SearchSpace space, RiskScorer risk, IterationSurrogate surrogate, NcclPlatform platform, IReadOnlyCollection<CollectiveOp> ops)
{
    public ProposalCheck Check(IReadOnlyList<ProposedSetting> settings, NcclConfig onTopOf, NcclConfig knownGood)
    {
        // Every problem of the proposal at once: the rejection goes back to the model, and a model told only the
        // first mistake repeats the others in its next proposal.
        var patch = new SortedDictionary<string, string>(StringComparer.Ordinal);
        List<string> problems = [];
        foreach (ProposedSetting setting in settings)
        {
            string name = setting.Name.Trim();
            if (!ParameterSpace.TryGet(name, out ParameterDefinition? definition))
            {
                problems.Add($"{name} is not a parameter ccl-agent tunes");
            }
            else if (!patch.TryAdd(definition.Name, setting.Value.Trim()))
            {
                problems.Add($"{definition.Name} is set twice");
            }
        }

        if (patch.Count == 0 && problems.Count == 0)
        {
            return Refused(patch, "no settings proposed");
        }

        problems.AddRange(ConfigValidator.Validate(patch, platform, ops).Where(v => v.Rule is "unknown-parameter" or "syntax").Select(v => v.ToString()));
        if (problems.Count > 0)
        {
            return Refused(patch, string.Join("; ", problems));
        }

        // Safety first: the parameter space's rules and the risk scorer, so a hazard is reported as one.
        NcclConfig config = onTopOf.With(patch);
        RiskAssessment assessment = risk.Assess(config, knownGood);
        if (assessment.Blocked)
        {
            return Refused(patch, $"risk {assessment.Score:0.00} ≥ {RiskAssessment.Threshold:0.0}: {string.Join("; ", assessment.Reasons)}") with { Risk = assessment.Score };
        }

        if (OffGrid(patch, config) is string grid)
        {
            return Refused(patch, grid) with { Risk = assessment.Score };
        }

        double predicted = surrogate.Predict(config).Mean;
        if (!double.IsFinite(predicted))
        {
            return Refused(patch, "the configuration failed in the offline microbenchmark") with { Risk = assessment.Score };
        }

        return new ProposalCheck(patch, config, assessment.Score, Math.Round(predicted, 3), null);
    }

    /// <summary>The surrogate only knows grid values; say which value is off the grid and what is allowed.</summary>
    private string? OffGrid(IReadOnlyDictionary<string, string> patch, NcclConfig config)
    {
        List<string> problems = [];
        foreach (string name in patch.Keys)
        {
            string dimensionName = name is ParameterSpace.MinChannels or ParameterSpace.MaxChannels ? SearchSpace.Channels : name;
            SearchDimension? dimension = space.Dimension(dimensionName);
            if (dimension is null)
            {
                problems.Add($"{name} is not tuned on this platform (tuned: {string.Join(", ", space.Dimensions.Select(d => d.Parameter == SearchSpace.Channels ? "NCCL_MIN_NCHANNELS=NCCL_MAX_NCHANNELS" : d.Parameter))})");
                continue;
            }

            string? value = SearchSpace.Get(config, dimensionName);
            if (dimension.IndexOf(value) < 0)
            {
                problems.Add($"{name}={patch[name]} is not on the search grid; allowed: {string.Join(", ", dimension.Values.Where(v => v is not null))}");
            }
        }

        if (config.MinChannels != config.MaxChannels)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"set NCCL_MIN_NCHANNELS and NCCL_MAX_NCHANNELS to the same value (got {config.MinChannels?.ToString(CultureInfo.InvariantCulture) ?? "unset"} and {config.MaxChannels?.ToString(CultureInfo.InvariantCulture) ?? "unset"})"));
        }

        if (problems.Count > 0)
        {
            return string.Join("; ", problems.Distinct(StringComparer.Ordinal));
        }

        return space.At(space.IndexesOf(config)).Key == config.Key ? null : "the configuration is not on the search grid";
    }

    private static ProposalCheck Refused(IReadOnlyDictionary<string, string> patch, string problem) =>
        new(new SortedDictionary<string, string>(patch.ToDictionary(kv => kv.Key, kv => kv.Value), StringComparer.Ordinal), null, null, null, problem);
}
