using CclAgent.Core.Text;

namespace CclAgent.Diagnosis.Sources;

/// <summary>
/// How diagnose reads logs and scripts: lines capped (a log with no newlines costs no more than a short one),
/// blank and binary lines skipped, colour escapes removed so patterns see what a terminal would show.
/// </summary>
internal static class LogLines
{
    public static BoundedLineOptions Options(int maxLineBytes, long firstLineNumber = 1) => new()
    {
        MaxLineLength = maxLineBytes,
        FirstLineNumber = firstLineNumber,
        SkipBlankLines = true,
        SkipBinaryLines = true,
        StripAnsiEscapes = true,
    };
}
