
namespace CclAgent.Memory.Storage;

/// <summary>Rejects trials that queries and reports could not interpret, before they reach the file.</summary>
internal static class TrialValidation
{
    public static void Check(TrialRecord trial)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(trial.RunId, nameof(trial));
        ArgumentOutOfRangeException.ThrowIfNegative(trial.Step, nameof(trial));
        if (!Enum.IsDefined(trial.Kind) || !Enum.IsDefined(trial.Status))
        {
            throw new ArgumentException($"Unknown trial kind {(int)trial.Kind} or status {(int)trial.Status}.", nameof(trial));
        }
    }
}
