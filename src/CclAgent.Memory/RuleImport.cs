namespace CclAgent.Memory;

/// <summary>What <see cref="MemoryStore.ImportRule"/> did with a rule from another memory.</summary>
public enum RuleImport
{
    /// <summary>New here: stored with its counts.</summary>
    Added,

    /// <summary>Known here from other runs: the counts were added up.</summary>
    Merged,

    /// <summary>Known here from the same runs (imported before): nothing changed.</summary>
    Duplicate,
}
