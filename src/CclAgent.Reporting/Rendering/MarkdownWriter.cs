using System.Text;

namespace CclAgent.Reporting.Rendering;

/// <summary>GitHub Markdown of the same blocks (a pull-request comment, a job summary); plots become a pointer to the HTML.</summary>
internal static class MarkdownWriter
{
    public static string Write(IReadOnlyList<ReportBlock> blocks)
    {
        var md = new StringBuilder(32 * 1024);
        foreach (ReportBlock block in blocks)
        {
            switch (block)
            {
                case HeadingBlock h:
                    md.Append('#', h.Level).Append(' ').Append(Text.Markdown(h.Text)).Append("\n\n");
                    break;
                case ParagraphBlock p:
                    md.Append(Text.Markdown(p.Text)).Append("\n\n");
                    break;
                case PlotBlock plot:
                    md.Append('_').Append(Text.Markdown(plot.AltText)).Append(" (the plot is in the HTML report)._\n\n");
                    break;
                case TableBlock t:
                    AppendTable(md, t);
                    break;
                default:
                    throw new InvalidOperationException($"unknown block {block.GetType().Name}");
            }
        }

        return md.ToString();
    }

    private static void AppendTable(StringBuilder md, TableBlock table)
    {
        if (table.Caption is not null)
        {
            md.Append(Text.Markdown(table.Caption)).Append("\n\n");
        }

        md.Append("| ").AppendJoin(" | ", table.Headers.Select(Text.Markdown)).Append(" |\n|");
        md.Append(string.Concat(Enumerable.Repeat("---|", table.Headers.Count))).Append('\n');
        foreach (IReadOnlyList<Cell> row in table.Rows)
        {
            md.Append("| ").AppendJoin(" | ", row.Select(c => c.Href is null ? Text.Markdown(c.Text) : $"[{Text.Markdown(c.Text)}]({Text.Markdown(c.Href)})")).Append(" |\n");
        }

        md.Append('\n');
    }
}
