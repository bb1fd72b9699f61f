namespace CclAgent.Diagnosis.Evidence;

/// <summary>A kind of evidence a matcher can report, with its default category, role and strength.</summary>
internal sealed record Signal(string Name, string Category, string Role, double Weight, string? Domain = null);
