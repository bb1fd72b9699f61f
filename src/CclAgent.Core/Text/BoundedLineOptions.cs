namespace CclAgent.Core.Text;

/// <summary>How a <see cref="BoundedLineReader"/> caps and filters lines. Without filters every line comes back, blank ones included.</summary>
public sealed record BoundedLineOptions
{
    /// <summary>The longest line kept, in bytes for a stream and characters for a text reader (at least 64); the rest of a longer line is dropped.</summary>
    public required int MaxLineLength { get; init; }

    /// <summary>The number of the input's first line (a source that starts mid-file).</summary>
    public long FirstLineNumber { get; init; } = 1;

    /// <summary>Skip empty lines (they are still counted in <see cref="BoundedLineReader.LineNumber"/>).</summary>
    public bool SkipBlankLines { get; init; }

    /// <summary>Skip lines that look binary: a NUL, more than one control character in ten, or more than one replacement character in four.</summary>
    public bool SkipBinaryLines { get; init; }

    /// <summary>Remove ANSI colour and cursor escapes (CSI sequences), so patterns see the text a terminal would show.</summary>
    public bool StripAnsiEscapes { get; init; }

    /// <summary>Leave the stream or reader open when the line reader is disposed (the caller owns it).</summary>
    public bool LeaveOpen { get; init; }
}
