namespace CclAgent.Diagnosis.Classification;

/// <summary>
/// What a piece of evidence is in the failure's story: the fault that started it (initiating), a
/// consequence (cascade), a line that confirms another fault (confirmation, e.g. <c>Killed</c> after the
/// OOM killer), or context that is not a failure by itself (a few benign fp16 overflows).
/// </summary>
public static class CausalRole
{
    public const string Initiating = "initiating";
    public const string Cascade = "cascade";
    public const string Confirmation = "confirmation";
    public const string Context = "context";
}
