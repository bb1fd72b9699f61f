namespace CclAgent.Reporting.Runs;

/// <summary>One row of postrun/nccl_tuner.conf: a collective's size range on one communicator shape, and its choice.</summary>
internal sealed record TunerConfRow(string Collective, string MinBytes, string MaxBytes, string Algorithm, string Protocol, string Channels, string Nodes, string Ranks)
{
    /// <summary>Rows of the CSV, comments and blank lines skipped; short lines are kept with what they have.</summary>
    public static IReadOnlyList<TunerConfRow> Parse(string text) =>
        text.Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split(',').Select(f => f.Trim()).ToArray())
            .Select(f => new TunerConfRow(At(f, 0), At(f, 1), At(f, 2), At(f, 3), At(f, 4), At(f, 5), At(f, 6), At(f, 7)))
            .ToList();

    private static string At(string[] fields, int i) => i < fields.Length ? fields[i] : "";
}
