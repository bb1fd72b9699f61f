using CclAgent.Simulation.Calibration;
using Xunit.Abstractions;

namespace CclAgent.Simulation.Tests;

/// <summary>
/// The held-out validation half (bench/calibration/validation_*). These figures are measured, not targets:
/// they pin today's error so a model change cannot make the simulator worse on data it was never fitted to.
/// When a physical fix improves them, raise the pins here and update docs/simulator.md §7 — never the reverse,
/// and never tune a constant to move them.
/// </summary>
public sealed class ValidationTests(ITestOutputHelper output)
{
    private const int MeasuredBandwidthWithin = 10;
    private const double MeasuredWorstFactor = 2.327;
    private const int MeasuredLatencyWithin = 7;
    private const int MeasuredAlgorithmRight = 1;

    private static readonly IReadOnlyList<ValidationCaseResult> Cases =
        ValidationRunner.Run(SimulationFiles.ValidationCsv, SimulationFiles.ValidationClustersJson);

    private static ValidationSummary Summary => ValidationSummary.From(Cases);

    [Fact]
    public void Validation_half_has_at_least_twenty_cases_and_no_row_shared_with_the_fit_half()
    {
        output.WriteLine(ValidationRunner.RenderMarkdown(Cases));
        output.WriteLine(FormattableString.Invariant($"worst factor {Summary.WorstBandwidthFactor:0.0000}"));
        IEnumerable<string> fitSources = CalibrationRunner.LoadPublished(SimulationFiles.PublishedCsv).Select(r => r.Source);
        Cases.Should().HaveCountGreaterThanOrEqualTo(20);
        Cases.Select(c => c.Source).Should().NotIntersectWith(fitSources, "a held-out row must come from a source the fit never saw");
    }

    [Fact]
    public void Cases_with_median_busbw_within_25_percent_do_not_drop_below_the_measured_count()
    {
        Summary.BandwidthWithinTolerance.Should().BeGreaterThanOrEqualTo(MeasuredBandwidthWithin);
    }

    [Fact]
    public void Worst_large_message_error_factor_does_not_grow_beyond_the_measured_one()
    {
        Summary.WorstBandwidthFactor.Should().BeLessThanOrEqualTo(MeasuredWorstFactor + 0.0005);
    }

    [Fact]
    public void Cases_with_small_message_latency_within_2x_do_not_drop_below_the_measured_count()
    {
        Summary.LatencyWithinTolerance.Should().BeGreaterThanOrEqualTo(MeasuredLatencyWithin);
    }

    [Fact]
    public void Default_algorithm_matches_the_source_at_least_as_often_as_measured()
    {
        Summary.AlgorithmShown.Should().BeGreaterThan(0);
        Summary.AlgorithmRight.Should().BeGreaterThanOrEqualTo(MeasuredAlgorithmRight);
    }

    [Fact]
    public void Summary_counts_a_case_outside_tolerance_as_a_miss()
    {
        CalibrationResult row = Cases.SelectMany(c => c.Rows).First(r => r.Kind == ToleranceKind.Bandwidth);
        var far = new ValidationCaseResult("far", "x", [row], 2.0, 2.0, null, null, null, null);
        var near = new ValidationCaseResult("near", "x", [row], 1.1, 0.9, null, null, null, null);

        ValidationSummary summary = ValidationSummary.From([far, near]);

        summary.BandwidthWithinTolerance.Should().Be(1);
        summary.WorstBandwidthFactor.Should().Be(2.0);
        summary.WorstBandwidthCase.Should().Be("far");
    }
}
