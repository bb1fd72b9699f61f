using System.Text;

namespace CclAgent.Reporting.Rendering;

/// <summary>
/// One self-contained HTML file: inline CSS and SVG, no script, and a Content-Security-Policy that forbids every
/// request, so the report opens the same from a laptop, a CI artifact or an air-gapped cluster.
/// </summary>
internal static class HtmlWriter
{
    private const string Style = """
        body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#1b1f24;margin:0;background:#f6f8fa}
        main{max-width:1180px;margin:0 auto;padding:24px 28px;background:#fff}
        h1{font-size:26px;margin:0 0 8px}h2{font-size:21px;margin:32px 0 8px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
        h3{font-size:17px;margin:22px 0 6px}
        table{border-collapse:collapse;margin:8px 0 14px;font-size:14px;max-width:100%}
        th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
        th{background:#f0f3f6}tr:nth-child(even) td{background:#fafbfc}
        td{font-variant-numeric:tabular-nums;overflow-wrap:anywhere}
        caption{text-align:left;color:#57606a;padding:2px 0}
        figure{margin:10px 0}svg{max-width:100%;height:auto}
        a{color:#0969da}p{margin:6px 0}
        """;

    public static string Write(string title, IReadOnlyList<ReportBlock> blocks)
    {
        var html = new StringBuilder(64 * 1024);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(Text.Html(title)).Append("</title>\n<style>").Append(Style).Append("</style>\n</head>\n<body>\n<main>\n");
        foreach (ReportBlock block in blocks)
        {
            Append(html, block);
        }

        return html.Append("</main>\n</body>\n</html>\n").ToString();
    }

    private static void Append(StringBuilder html, ReportBlock block)
    {
        switch (block)
        {
            case HeadingBlock h:
                html.Append("<h").Append(h.Level);
                if (h.Anchor is not null)
                {
                    html.Append(" id=\"").Append(Text.Html(h.Anchor)).Append('"');
                }

                html.Append('>').Append(Text.Html(h.Text)).Append("</h").Append(h.Level).Append(">\n");
                break;
            case ParagraphBlock p:
                html.Append("<p>").Append(Text.Html(p.Text)).Append("</p>\n");
                break;
            case PlotBlock plot:
                html.Append("<figure role=\"img\" aria-label=\"").Append(Text.Html(plot.AltText)).Append("\">").Append(plot.Svg).Append("</figure>\n");
                break;
            case TableBlock t:
                AppendTable(html, t);
                break;
            default:
                throw new InvalidOperationException($"unknown block {block.GetType().Name}");
        }
    }

    private static void AppendTable(StringBuilder html, TableBlock table)
    {
        html.Append("<table>");
        if (table.Caption is not null)
        {
            html.Append("<caption>").Append(Text.Html(table.Caption)).Append("</caption>");
        }

        html.Append("<thead><tr>");
        foreach (string header in table.Headers)
        {
            html.Append("<th>").Append(Text.Html(header)).Append("</th>");
        }

        html.Append("</tr></thead>\n<tbody>\n");
        foreach (IReadOnlyList<Cell> row in table.Rows)
        {
            html.Append("<tr>");
            foreach (Cell cell in row)
            {
                html.Append("<td>");
                if (cell.Href is null)
                {
                    html.Append(Text.Html(cell.Text));
                }
                else
                {
                    html.Append("<a href=\"").Append(Text.Html(cell.Href)).Append("\">").Append(Text.Html(cell.Text)).Append("</a>");
                }

                html.Append("</td>");
            }

            html.Append("</tr>\n");
        }

        html.Append("</tbody></table>\n");
    }
}
