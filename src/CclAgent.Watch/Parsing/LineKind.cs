namespace CclAgent.Watch.Parsing;

/// <summary>What a parser made of one line.</summary>
public enum LineKind
{
    /// <summary>Not a line this parser understands.</summary>
    Unknown,

    /// <summary>A metrics record.</summary>
    Record,

    /// <summary>Progress-bar or validation-progress noise: recognised, counted, no metrics.</summary>
    Progress,
}
