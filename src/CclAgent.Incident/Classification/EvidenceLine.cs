namespace CclAgent.Incident.Classification;

/// <summary>One piece of evidence: the file (or metric source), its 1-based line when it is a log line, the masked text.</summary>
public sealed record EvidenceLine(string Source, int? Line, string Text);
