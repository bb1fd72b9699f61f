namespace CclAgent.Memory.Storage;

/// <summary>Rejects trials that queries and reports could not interpret, before they reach the file.</summary>
internal static class TrialValidation
{
    public static void Check(TrialRecord trial)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(trial.RunId, nameof(trial));
        ArgumentOutOfRangeException.ThrowIfNegative(trial.Step, nameof(trial));
        string? problem = Unknown(trial.Kind, TrialKinds.All, "kind") ?? Unknown(trial.Status, TrialStatuses.All, "status");
        if (problem is not null)
        {
            throw new ArgumentException(problem, nameof(trial));
        }
    }

    private static string? Unknown(string value, IReadOnlyList<string> allowed, string what) =>
        allowed.Contains(value, StringComparer.Ordinal)
            ? null
            : $"Unknown trial {what} '{value}'. Expected one of: {string.Join(", ", allowed)}.";
}
