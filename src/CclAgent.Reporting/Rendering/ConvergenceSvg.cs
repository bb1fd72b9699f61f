namespace CclAgent.Reporting.Rendering;

/// <summary>The convergence plot as inline SVG (ScottPlot): measured time per step, the incumbent, and the oracle in dry-run.</summary>
internal static class ConvergenceSvg
{
    public const int Width = 960;
    public const int Height = 420;

    public static string Render(IReadOnlyList<(string Label, Runs.LoadedRun Run)> runs)
    {
        var plot = new ScottPlot.Plot();
        var palette = new ScottPlot.Palettes.Category10();
        for (int i = 0; i < runs.Count; i++)
        {
            IReadOnlyList<ConvergencePoint> points = ConvergencePoint.Of(runs[i].Run);
            ScottPlot.Color color = palette.GetColor(i);
            string suffix = runs.Count > 1 ? $" ({runs[i].Label})" : string.Empty;
            ConvergencePoint[] measured = [.. points.Where(p => p.MeasuredMs is not null)];
            if (measured.Length > 0)
            {
                var dots = plot.Add.ScatterPoints(measured.Select(p => (double)p.Step).ToArray(), measured.Select(p => p.MeasuredMs!.Value).ToArray());
                dots.Color = color.WithAlpha(0.55);
                dots.MarkerSize = 6;
                dots.LegendText = "measured median" + suffix;
            }

            if (points.Count > 0)
            {
                var incumbent = plot.Add.ScatterLine(points.Select(p => (double)p.Step).ToArray(), points.Select(p => p.IncumbentMs).ToArray());
                incumbent.ConnectStyle = ScottPlot.ConnectStyle.StepHorizontal;
                incumbent.Color = color;
                incumbent.LineWidth = 2.5f;
                incumbent.LegendText = "incumbent (best accepted)" + suffix;
            }

            if (runs[i].Run.Summary.OracleIterationMs is double oracle)
            {
                var line = plot.Add.HorizontalLine(oracle);
                // Solid: SkiaSharp's SVG canvas cannot write dash patterns (it prints "Unsupported path effect").
                line.Color = color.WithAlpha(0.6);
                line.LineWidth = 1.5f;
                line.LegendText = "simulator oracle" + suffix;
            }
        }

        plot.XLabel("step (0 = baseline)");
        plot.YLabel("iteration time (ms)");
        plot.Axes.Bottom.Label.FontSize = 16;
        plot.Axes.Left.Label.FontSize = 16;
        plot.Axes.Bottom.TickLabelStyle.FontSize = 14;
        plot.Axes.Left.TickLabelStyle.FontSize = 14;
        plot.Legend.FontSize = 13;
        plot.ShowLegend(ScottPlot.Alignment.UpperRight);
        string svg = plot.GetSvgXml(Width, Height);
        // Inline in HTML: the XML prolog is not allowed there.
        int start = svg.IndexOf("<svg", StringComparison.Ordinal);
        return start > 0 ? svg[start..] : svg;
    }
}
