namespace CclAgent.Nccl.Compilation;

/// <summary>An NCCL variable the simulator does not read, and why (see <see cref="UnreadNcclVariables"/>).</summary>
public sealed record UnreadVariable(string Name, string Value, string Reason)
{
    /// <summary>The one warning line a simulating command prints for it.</summary>
    public string Warning => $"warning: the simulator ignores {Name}={Value} ({Reason}); it predicts as if {Name} were unset";
}
