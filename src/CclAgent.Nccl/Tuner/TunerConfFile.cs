namespace CclAgent.Nccl.Tuner;

/// <summary>A parsed tuner conf: the rows the plugin would load, and every line it would misread or skip.</summary>
public sealed record TunerConfFile(IReadOnlyList<TunerConfRow> Rows, IReadOnlyList<TunerConfProblem> Problems)
{
    public TunerTable Table => new(Rows);
}
