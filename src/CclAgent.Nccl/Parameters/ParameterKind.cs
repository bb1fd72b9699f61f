namespace CclAgent.Nccl.Parameters;

/// <summary>How a parameter's value is written.</summary>
public enum ParameterKind
{
    /// <summary>One of a fixed list of names.</summary>
    Choice,

    /// <summary>An integer within a range.</summary>
    Number,
}
