using System.Text;
using CclAgent.Core.Secrets;

namespace CclAgent.Reporting.Rendering;

/// <summary>Every string from an artifact passes here before it is written: secrets masked, then escaped for the format.</summary>
internal static class Text
{
    public static string Html(string raw) => Escape(SecretRedactor.Redact(raw));

    /// <summary>GitHub Markdown renders inline HTML, so the HTML escape applies too; pipes would split table cells.</summary>
    public static string Markdown(string raw) =>
        Html(raw).Replace("|", "\\|", StringComparison.Ordinal).Replace("\r", " ", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    /// <summary>A relative URL from the report's folder to a file in a run directory, '/'-separated and percent-encoded per segment.</summary>
    public static string Link(string reportDirectory, string runDirectory, string relative)
    {
        string path = Path.GetRelativePath(Path.GetFullPath(reportDirectory), Path.GetFullPath(Path.Combine(runDirectory, relative)));
        string[] segments = path.Replace('\\', '/').Split('/');
        string url = string.Join('/', segments.Select(s => s == ".." || s == "." ? s : Uri.EscapeDataString(s)));
        return relative.EndsWith('/') && !url.EndsWith('/') ? url + "/" : url;
    }

    /// <summary>The five characters HTML gives meaning to; everything else stays as UTF-8 (the page declares its charset).</summary>
    private static string Escape(string text)
    {
        if (text.AsSpan().IndexOfAny("&<>\"'") < 0)
        {
            return text;
        }

        var sb = new StringBuilder(text.Length + 16);
        foreach (char c in text)
        {
            _ = c switch
            {
                '&' => sb.Append("&amp;"),
                '<' => sb.Append("&lt;"),
                '>' => sb.Append("&gt;"),
                '"' => sb.Append("&quot;"),
                '\'' => sb.Append("&#39;"),
                _ => sb.Append(c),
            };
        }

        return sb.ToString();
    }
}
