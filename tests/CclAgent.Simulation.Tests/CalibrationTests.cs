using CclAgent.Simulation.Calibration;
using Xunit.Abstractions;

namespace CclAgent.Simulation.Tests;

public sealed class CalibrationTests(ITestOutputHelper output)
{
    private static readonly IReadOnlyList<CalibrationResult> Results = CalibrationRunner.Run(SimulationFiles.PublishedCsv, SimulationFiles.ClustersJson);

    [Fact]
    public void Every_published_row_has_a_mapped_cluster_and_a_simulated_time()
    {
        IReadOnlyList<PublishedRow> published = CalibrationRunner.LoadPublished(SimulationFiles.PublishedCsv);
        Assert.Equal(published.Count, Results.Count);
        Assert.All(Results, r => Assert.True(r.SimTimeUs > 0 && double.IsFinite(r.SimTimeUs), r.Published.Id));
    }

    /// <summary>
    /// Rows the model does not yet reproduce, named so the test fails if any other row drifts out or
    /// if one of these comes back in (then remove it here). docs/simulator.md explains each.
    /// a100-efa-ar-2x8-large: 78 GB/s busbw exceeds the 4×100G line rate, which only a tree can do;
    /// NCCL's cost model as simulated picks Ring there, so the simulator reports the ring's 44 GB/s.
    /// </summary>
    private static readonly string[] KnownMisfits = ["a100-efa-ar-2x8-large"];

    [Fact]
    public void Known_misfits_are_exactly_the_rows_outside_tolerance()
    {
        string[] outside = Results.Where(r => r.Checked && !r.WithinTolerance).Select(r => r.Published.Id).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(KnownMisfits, outside);
    }

    [Fact]
    public void Every_non_excluded_row_is_within_the_project_tolerance()
    {
        output.WriteLine(CalibrationRunner.RenderMarkdown(Results));
        string[] outside = Results.Where(r => r.Checked && !r.WithinTolerance && !KnownMisfits.Contains(r.Published.Id))
            .Select(r => $"{r.Published.Id}: sim/published = {r.Ratio:0.000} ({r.Kind})")
            .ToArray();
        Assert.True(outside.Length == 0, string.Join(Environment.NewLine, outside));
    }

    [Fact]
    public void Only_rows_whose_source_reports_a_degraded_or_pathological_system_are_excluded()
    {
        string[] excluded = Results.Where(r => r.Excluded is not null).Select(r => r.Published.Id).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(
            ["a100-roce-ar-2x8-small-old", "a40-pcie-sys-ar-4g-p2pdis", "h100-ib-ar-2x8-default-degraded", "h100-ib-ar-2x8-ring-degraded"],
            excluded);
    }

    [Fact]
    public void Both_tolerance_classes_are_exercised()
    {
        Assert.Contains(Results, r => r.Checked && r.Kind == ToleranceKind.Bandwidth);
        Assert.Contains(Results, r => r.Checked && r.Kind == ToleranceKind.Latency);
    }
}
