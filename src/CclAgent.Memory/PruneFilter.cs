namespace CclAgent.Memory;

/// <summary>Which rows <c>memory prune</c> deletes; at least one filter must be given.</summary>
public sealed record PruneFilter
{
    /// <summary>Trials recorded, and rules and avoid-rules last seen, longer ago than this.</summary>
    public TimeSpan? OlderThan { get; init; }

    /// <summary>Rules whose confidence (successes over observations) is below this; applies to rules only.</summary>
    public double? MinConfidence { get; init; }

    /// <summary>Trials of this workload's runs, and rules and avoid-rules of those runs' contexts.</summary>
    public string? Workload { get; init; }

    public bool IsEmpty => OlderThan is null && MinConfidence is null && Workload is null;

    /// <exception cref="ArgumentException">No filter, a negative age, or a confidence outside [0, 1].</exception>
    public void Validate()
    {
        if (IsEmpty)
        {
            throw new ArgumentException("A prune needs at least one filter: an age, a minimum confidence or a workload.");
        }

        if (OlderThan < TimeSpan.Zero)
        {
            throw new ArgumentException("The age must not be negative.");
        }

        if (MinConfidence is { } c && !(c is >= 0 and <= 1))
        {
            throw new ArgumentException("The minimum confidence must be between 0 and 1.");
        }
    }
}
