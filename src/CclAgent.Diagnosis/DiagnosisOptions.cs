namespace CclAgent.Diagnosis;

/// <summary>Limits and extra inputs for one diagnosis. The defaults keep memory bounded on any log size.</summary>
public sealed record DiagnosisOptions
{
    /// <summary>Training scripts to check with the code rules (Python source).</summary>
    public IReadOnlyList<string> CodeFiles { get; init; } = [];

    /// <summary>Bytes kept of one log line; the rest of a longer line is skipped (a 1 GB line costs no memory).</summary>
    public int MaxLineBytes { get; init; } = 4096;

    /// <summary>Evidence lines kept per signal (the first ones, plus the last); every occurrence is still counted.</summary>
    public int MaxEvidencePerSignal { get; init; } = 20;
}
