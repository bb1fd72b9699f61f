namespace CclAgent.Nccl.Platforms;

/// <summary>The inter-node transport NCCL uses.</summary>
public enum NetworkKind
{
    None,
    InfiniBand,
    Roce,
    Tcp,
    Efa,
}
