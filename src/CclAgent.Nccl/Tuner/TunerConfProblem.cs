namespace CclAgent.Nccl.Tuner;

/// <summary>One line of a tuner conf the plugin would misread or skip.</summary>
public sealed record TunerConfProblem(int Line, string Message)
{
    public override string ToString() => $"line {Line}: {Message}";
}
