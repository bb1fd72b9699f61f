namespace CclAgent.Diagnosis.Hardware;

/// <summary>One row of the Xid table: meaning, NVIDIA's resolution, the repair action, and how diagnosis reads it.</summary>
public sealed record XidEntry(int Code, string Meaning, string NvidiaResolution, string Action, string Category, string Role, string Domain, double Weight, bool DrainNode);
