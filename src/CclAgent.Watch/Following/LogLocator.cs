namespace CclAgent.Watch.Following;

/// <summary>
/// <c>--auto DIR</c>: the most recently written training log under a directory (MMEngine's work_dirs/&lt;exp&gt;/&lt;ts&gt;/&lt;ts&gt;.log,
/// vis_data/scalars.json, detectron2's metrics.json, a redirected stdout *.out/*.txt).
/// </summary>
public static class LogLocator
{
    private static readonly string[] Extensions = [".log", ".out", ".txt", ".jsonl"];
    private static readonly string[] Names = ["scalars.json", "metrics.json"];

    /// <summary>The newest candidate, or null when there is none (yet).</summary>
    public static string? FindNewest(string directory)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 6, IgnoreInaccessible = true };
        return new DirectoryInfo(directory).EnumerateFiles("*", options)
            .Where(f => Extensions.Contains(f.Extension, StringComparer.OrdinalIgnoreCase) || Names.Contains(f.Name, StringComparer.OrdinalIgnoreCase))
            .OrderByDescending(f => f.LastWriteTimeUtc)
            .ThenBy(f => f.FullName, StringComparer.Ordinal)
            .FirstOrDefault()?.FullName;
    }
}
