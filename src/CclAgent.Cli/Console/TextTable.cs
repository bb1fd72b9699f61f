namespace CclAgent.Cli.Console;

/// <summary>
/// A plain-text table for people: each column as wide as its widest cell, so a long run id or workload name moves
/// the columns after it instead of running into them. Columns named in <c>rightAligned</c> are numbers.
/// </summary>
internal sealed class TextTable(string[] headers, params int[] rightAligned)
{
    private readonly List<string[]> _rows = [];

    public void Add(params string[] cells) => _rows.Add(cells);

    public void Write(TextWriter output, string indent = "  ")
    {
        int[] widths = [.. headers.Select((h, i) => _rows.Select(r => r[i].Length).Append(h.Length).Max())];
        foreach (string[] row in _rows.Prepend(headers))
        {
            // The last column (a patch, free text) is never padded, so lines carry no trailing blanks.
            IEnumerable<string> cells = row.Select((cell, i) =>
                i == row.Length - 1 && !rightAligned.Contains(i) ? cell
                : rightAligned.Contains(i) ? cell.PadLeft(widths[i]) : cell.PadRight(widths[i]));
            output.WriteLine(indent + string.Join(" ", cells));
        }
    }
}
