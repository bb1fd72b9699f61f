namespace CclAgent.Nccl.Parameters;

/// <summary>One broken rule: which parameters, how bad, and why (with the source of the rule).</summary>
public sealed record ConfigViolation(IReadOnlyList<string> Parameters, ViolationSeverity Severity, string Rule, string Message)
{
    public override string ToString() => $"{Severity.ToString().ToLowerInvariant()} [{Rule}] {string.Join("+", Parameters)}: {Message}";
}
