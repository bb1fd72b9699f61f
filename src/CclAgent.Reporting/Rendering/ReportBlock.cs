namespace CclAgent.Reporting.Rendering;

/// <summary>
/// One piece of a report, in raw text from the artifacts; the HTML and Markdown writers escape and mask it, so the
/// content is decided once and both formats show the same facts.
/// </summary>
internal abstract record ReportBlock;

internal sealed record HeadingBlock(int Level, string Text, string? Anchor = null) : ReportBlock;

internal sealed record ParagraphBlock(string Text) : ReportBlock;

/// <summary>A table; a row's cells line up with <see cref="Headers"/>.</summary>
internal sealed record TableBlock(IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<Cell>> Rows, string? Caption = null) : ReportBlock;

/// <summary>An inline SVG plot, trusted (rendered by ScottPlot from numbers); Markdown shows <see cref="AltText"/> instead.</summary>
internal sealed record PlotBlock(string Svg, string AltText) : ReportBlock;

/// <summary>A table cell: text, optionally a relative link to an artifact.</summary>
internal readonly record struct Cell(string Text, string? Href = null)
{
    public static implicit operator Cell(string text) => new(text);
}
