namespace CclAgent.Nccl.Search;

/// <summary>One tunable axis of the discrete space: a parameter and its candidate values (null = NCCL default).</summary>
public sealed record SearchDimension(string Parameter, IReadOnlyList<string?> Values, bool IsImplementation)
{
    public int IndexOf(string? value) => Values.ToList().FindIndex(v => string.Equals(v, value, StringComparison.OrdinalIgnoreCase));
}
