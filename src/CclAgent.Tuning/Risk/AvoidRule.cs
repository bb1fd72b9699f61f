namespace CclAgent.Tuning.Risk;

/// <summary>A parameter patch that failed before (in this run or, from memory, in a similar context).</summary>
internal sealed record AvoidRule(string Id, IReadOnlyDictionary<string, string> Patch, string FailureClass, string Reason);
