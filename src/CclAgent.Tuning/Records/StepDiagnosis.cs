namespace CclAgent.Tuning.Records;

/// <summary>The automatic diagnosis of a failed step (the same engine as `ccl-agent diagnose`).</summary>
public sealed record StepDiagnosis(string Category, string RootCause, double Confidence, string Domain, string Role);
