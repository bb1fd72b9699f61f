namespace CclAgent.Incident.Planning;

/// <summary>The fix: its actions and what the planner expects (never shown to validate_improvement).</summary>
public sealed record FixPlan(IReadOnlyList<FixAction> Actions, string ExpectedImpact);
