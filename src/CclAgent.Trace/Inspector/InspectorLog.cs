using CclAgent.Trace.Report;

namespace CclAgent.Trace.Inspector;

/// <summary>What one NCCL Inspector file held: its operations, and every way the file was not whole.</summary>
internal sealed record InspectorLog(string Path, IReadOnlyList<InspectorRecord> Records, IReadOnlyList<IntegrityIssue> Issues);
