namespace CclAgent.Diagnosis.Evidence;

/// <summary>One matched log line: where it is, what it says, and what the classifier made of it.</summary>
public sealed record EvidenceItem
{
    /// <summary>ev-1, ev-2 … in the order the lines were read.</summary>
    public required string Id { get; init; }

    /// <summary>The matcher's signal name, e.g. <c>nccl_ib_completion_error</c> (docs/diagnose.md lists them).</summary>
    public required string Signal { get; init; }
    public required string Category { get; init; }
    public required string Role { get; init; }
    public required string Domain { get; init; }
    public required string File { get; init; }
    public required long Line { get; init; }

    /// <summary>The matched line (secrets redacted, at most 400 characters).</summary>
    public required string Text { get; init; }

    /// <summary>Values parsed from the line: sizes, codes, ranks, sequence numbers.</summary>
    public IReadOnlyDictionary<string, string> Facts { get; init; } = new Dictionary<string, string>();

    /// <summary>Training step in effect when the line was written, when the log says.</summary>
    public long? Step { get; init; }

    /// <summary>How many lines produced this signal in this source (only a bounded number are kept).</summary>
    public long Occurrences { get; init; } = 1;

    /// <summary>Strength of this signal as a root cause, 0–1.</summary>
    public double Weight { get; init; }

    /// <summary>Why the classifier gave it this role, when it is not the signal's default.</summary>
    public string? Note { get; init; }

    internal long Order { get; init; }
}
