namespace CclAgent.Nccl.NcclTests;

/// <summary>
/// Where each field sits in a data row, read from the table's column-name header. Reading the header
/// instead of assuming one layout is what lets one parser take current files (root, #wrong), legacy ones
/// (no root, float `error`; broadcast without redop), `-C 1` (cputime), `-I 1` (i_min … i_cv% per block),
/// bitwise checks (#bitdiff) and `-S 1` timestamps.
/// </summary>
internal sealed class NcclTestsLayout
{
    private NcclTestsLayout(int columns, int type, int redop, int root, Block outOfPlace, Block inPlace, bool legacy, bool trailingText)
    {
        Columns = columns;
        Type = type;
        Redop = redop;
        Root = root;
        OutOfPlace = outOfPlace;
        InPlace = inPlace;
        LegacyErrorColumn = legacy;
        TrailingText = trailingText;
    }

    /// <summary>Tokens a row has, not counting a trailing timestamp.</summary>
    public int Columns { get; }

    public int Type { get; }
    public int Redop { get; }
    public int Root { get; }
    public Block OutOfPlace { get; }
    public Block InPlace { get; }
    public bool LegacyErrorColumn { get; }

    /// <summary>A timestamp column follows, which may itself contain spaces.</summary>
    public bool TrailingText { get; }

    /// <summary>The layout of files whose header was lost: current format, 13 columns.</summary>
    public static NcclTestsLayout Current { get; } = new(13, 2, 3, 4, new Block(5, 6, 7, 8), new Block(9, 10, 11, 12), false, false);

    /// <summary>The legacy all_reduce layout, 12 columns: no root, float error.</summary>
    public static NcclTestsLayout Legacy { get; } = new(12, 2, 3, -1, new Block(4, 5, 6, 7), new Block(8, 9, 10, 11), true, false);

    /// <summary>True for the column-name line: "size count type … time algbw busbw …".</summary>
    public static bool IsHeader(string[] tokens) =>
        tokens.Length >= 6 && tokens[0] == "size" && tokens[1] == "count"
        && Array.Exists(tokens, t => t is "time" or "cputime") && Array.IndexOf(tokens, "busbw") > 0;

    /// <summary>Null when the header does not describe two measurement blocks.</summary>
    public static NcclTestsLayout? FromHeader(string[] tokens)
    {
        bool trailingText = tokens[^1] == "timestamp";
        int columns = trailingText ? tokens.Length - 1 : tokens.Length;
        var blocks = new List<Block>(2);
        bool legacy = false;
        for (int i = 0; i < columns; i++)
        {
            if (tokens[i] is not ("time" or "cputime"))
            {
                continue;
            }

            int end = i + 1;
            while (end < columns && tokens[end] is not ("time" or "cputime"))
            {
                end++;
            }

            int algbw = IndexIn(tokens, "algbw", i, end);
            int busbw = IndexIn(tokens, "busbw", i, end);
            int wrong = IndexIn(tokens, "#wrong", i, end);
            if (wrong < 0 && IndexIn(tokens, "error", i, end) is int error and >= 0)
            {
                wrong = error;
                legacy = true;
            }

            blocks.Add(new Block(i, algbw, busbw, wrong));
            i = end - 1;
        }

        if (blocks.Count != 2)
        {
            return null;
        }

        int first = blocks[0].Time;
        return new NcclTestsLayout(columns, IndexIn(tokens, "type", 0, first), IndexIn(tokens, "redop", 0, first), IndexIn(tokens, "root", 0, first),
            blocks[0], blocks[1], legacy, trailingText);
    }

    private static int IndexIn(string[] tokens, string name, int start, int end)
    {
        for (int i = start; i < end; i++)
        {
            if (tokens[i] == name)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Token indexes of one measurement block; -1 where the column is absent.</summary>
    internal readonly record struct Block(int Time, int AlgBw, int BusBw, int Wrong);
}
