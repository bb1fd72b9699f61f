namespace CclAgent.Diagnosis;

/// <summary>Marker for the diagnosis capability (root cause of failed runs).</summary>
internal static class DiagnosisAssembly;
