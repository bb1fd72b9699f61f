namespace CclAgent.Diagnosis.Code;

/// <summary>A finding of a code rule in the training script, at file:line, with the categories it can explain.</summary>
public sealed record CodeFinding
{
    public required string Rule { get; init; }
    public required string File { get; init; }
    public required long Line { get; init; }
    public required string Text { get; init; }
    public required string Message { get; init; }
    public required string Fix { get; init; }

    /// <summary>Failure categories this finding can cause or worsen.</summary>
    public required IReadOnlyList<string> Categories { get; init; }

    /// <summary>CRITICAL/HIGH/MEDIUM/LOW; raised to HIGH when the logs show one of its categories.</summary>
    public required string Priority { get; init; }

    /// <summary>True when the diagnosed failure is one of <see cref="Categories"/>.</summary>
    public bool Correlated { get; init; }

    /// <summary>When the logs show only the symptom (NaN), a category this finding names as the cause.</summary>
    public string? Explains { get; init; }
}
