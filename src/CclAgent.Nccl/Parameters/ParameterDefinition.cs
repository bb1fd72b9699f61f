namespace CclAgent.Nccl.Parameters;

/// <summary>
/// One NCCL environment variable the tuner may set: its legal values, NCCL's default and how it
/// maps onto <see cref="NcclConfig"/>. Values come from NCCL's env docs
/// (https://docs.nvidia.com/deeplearning/nccl/user-guide/docs/env.html) and source (NVIDIA/nccl 5067397c).
/// </summary>
public sealed record ParameterDefinition
{
    public required string Name { get; init; }
    public required string Description { get; init; }
    public required ParameterKind Kind { get; init; }

    /// <summary>NCCL's behaviour when the variable is unset.</summary>
    public required string NcclDefault { get; init; }

    /// <summary>Legal names for <see cref="ParameterKind.Choice"/>.</summary>
    public IReadOnlyList<string> Choices { get; init; } = [];

    /// <summary>Range NCCL accepts for <see cref="ParameterKind.Number"/> (values outside are clamped or rejected).</summary>
    public long Min { get; init; }
    public long Max { get; init; }

    /// <summary>Other names NCCL reads for the same setting, e.g. NCCL_MAX_CTAS for NCCL_MAX_NCHANNELS.</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    public required Func<NcclConfig, string?> Read { get; init; }
    public required Func<NcclConfig, string?, NcclConfig> Write { get; init; }

    /// <summary>Parses a raw value; returns an error message instead of throwing.</summary>
    public string? CheckSyntax(string value)
    {
        if (Kind == ParameterKind.Choice)
        {
            return Choices.Contains(value, StringComparer.OrdinalIgnoreCase)
                ? null
                : $"'{value}' is not a legal value; expected one of {string.Join(", ", Choices)}";
        }

        if (!long.TryParse(value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out long number))
        {
            return $"'{value}' is not an integer";
        }

        return number < Min || number > Max ? $"{number} is outside [{Min}, {Max}]" : null;
    }
}
