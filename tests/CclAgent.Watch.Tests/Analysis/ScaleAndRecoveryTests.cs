using CclAgent.Watch.Alerts;
using CclAgent.Watch.Analysis;
using CclAgent.Watch.Events;
using CclAgent.Watch.Tests.Support;

namespace CclAgent.Watch.Tests.Analysis;

/// <summary>
/// Thresholds that hold at every loss scale, phases that do not churn on schedules, and recovery after a transient NaN.
/// Series are synthetic here (each rule in isolation); the real-log corpus judges them together.
/// </summary>
public sealed class ScaleAndRecoveryTests
{
    private readonly Random _noise = new(7);

    [Fact]
    public void A_run_that_came_down_to_a_loss_of_0_001_neither_diverges_nor_spikes_on_its_relative_noise()
    {
        var h = new EngineHarness();
        h.Feed(200, i => 0.001 + (0.7 * Math.Exp(-i / 20.0)));
        h.Feed(600, _ => 0.001 * (1 + (0.9 * _noise.NextDouble())) + (_noise.NextDouble() < 0.03 ? 0.004 : 0));

        h.Sink.Changes.Should().NotContain(c => c.To == TrainingPhase.Diverging);
        h.Sink.Alerts.Should().NotContain(a => a.Kind == AlertKinds.LossSpike);
    }

    [Fact]
    public void A_real_rise_back_towards_the_starting_loss_is_still_diverging_at_a_tiny_scale()
    {
        var h = new EngineHarness();
        h.Feed(200, i => 0.001 + (0.7 * Math.Exp(-i / 20.0)));
        h.Feed(200, i => 0.001 + (0.002 * i));

        h.Phase.Should().Be(TrainingPhase.Diverging);
    }

    [Fact]
    public void A_constant_loss_scale_of_1_from_bf16_is_no_collapse_but_fp16_halving_to_1_is()
    {
        var bf16 = new EngineHarness();
        bf16.Feed(50, i => 3 - (0.01 * i), edit: (_, r) => r with { LossScale = 1 });
        var fp16 = new EngineHarness();
        fp16.Feed(20, i => 3 - (0.01 * i), edit: (i, r) => r with { LossScale = Math.Max(1, 65536 / Math.Pow(2, i)) });

        bf16.Sink.Alerts.Should().NotContain(a => a.Kind == AlertKinds.LossScaleCollapse);
        fp16.Sink.Alerts.Should().ContainSingle(a => a.Kind == AlertKinds.LossScaleCollapse);
    }

    [Fact]
    public void A_mid_run_learning_rate_step_after_a_plateau_is_not_convergence()
    {
        var h = new EngineHarness();
        h.Feed(150, _ => 1 + (0.002 * (_noise.NextDouble() - 0.5)), lr: _ => 1e-2);
        h.Feed(60, _ => 1 + (0.002 * (_noise.NextDouble() - 0.5)), lr: _ => 1e-3);

        h.Sink.Changes.Should().NotContain(c => c.To == TrainingPhase.Converged);
    }

    [Fact]
    public void Converged_sticks_through_a_small_dip_from_a_late_learning_rate_step()
    {
        var h = new EngineHarness();
        h.Feed(300, _ => 1 + (0.002 * (_noise.NextDouble() - 0.5)), lr: i => i < 100 ? 1e-3 : 1e-5);
        h.Phase.Should().Be(TrainingPhase.Converged);

        h.Feed(150, i => 1 - (0.02 * Math.Min(i, 30) / 30.0) + (0.002 * (_noise.NextDouble() - 0.5)), lr: _ => 1e-6);

        h.Phase.Should().Be(TrainingPhase.Converged);
        h.Sink.Changes.Count(c => c.From == TrainingPhase.Converged).Should().Be(0);
    }

    [Fact]
    public void One_nan_that_the_run_gets_over_leaves_diverging_after_ten_finite_records()
    {
        var h = new EngineHarness();
        h.Feed(100, i => 3 - (0.01 * i));
        h.Feed(1, _ => double.NaN);
        h.Phase.Should().Be(TrainingPhase.Diverging);

        h.Feed(12, i => 2 - (0.01 * i));

        h.Phase.Should().NotBe(TrainingPhase.Diverging);
        h.Sink.Changes.Last().Reason.Should().Contain("finite again");
    }

    [Fact]
    public void Overfitting_risk_is_never_entered_without_the_val_degrading_alert()
    {
        var h = new EngineHarness();
        h.Feed(60, i => 3 - (0.02 * i));
        h.Feed(200, _ => 1.8 + (0.001 * (_noise.NextDouble() - 0.5)));
        h.Eval("val_loss", 1.0);
        h.Feed(60, _ => 1.8 + (0.001 * (_noise.NextDouble() - 0.5)));
        h.Eval("val_loss", 1.2);
        h.Eval("val_loss", 1.3); // worse twice, but training is flat: no alert, so no phase either
        h.Feed(60, _ => 1.8 + (0.001 * (_noise.NextDouble() - 0.5)));
        h.Sink.Changes.Should().NotContain(c => c.To == TrainingPhase.OverfittingRisk);

        h.Feed(60, i => 1.8 - (0.005 * i));
        h.Eval("val_loss", 1.35); // training now improves while evaluation stays worse: the alert, then the phase
        h.Feed(60, i => 1.5 - (0.004 * i));

        h.Sink.Alerts.Should().ContainSingle(a => a.Kind == AlertKinds.ValDegrading);
        h.Phase.Should().Be(TrainingPhase.OverfittingRisk);
    }

    [Fact]
    public void A_reason_never_prints_a_negative_smoothed_loss_for_a_positive_loss()
    {
        var h = new EngineHarness();
        h.Feed(80, i => Math.Max(0.5, 93 * Math.Exp(-i / 6.0)));

        h.Sink.Changes.Select(c => c.Reason).Should().NotContain(r => r.Contains("→ -") || r.Contains("fell 1") && r.Contains("00."));
        h.Sink.Changes.Should().OnlyContain(c => !System.Text.RegularExpressions.Regex.IsMatch(c.Reason, @"fell [1-9]\d{2,}\.\d%"));
    }

    [Fact]
    public void No_early_stop_advice_during_warmup_or_while_the_evaluation_metric_still_gains()
    {
        var h = new EngineHarness();
        h.Feed(120, _ => 2 + (0.001 * (_noise.NextDouble() - 0.5)), lr: i => 1e-5 * (i + 1));
        h.Sink.Events.OfType<AdviceEvent>().Should().BeEmpty("the learning rate is still warming up");

        for (int e = 0; e < 6; e++)
        {
            h.Feed(60, _ => 2 + (0.001 * (_noise.NextDouble() - 0.5)), lr: _ => 1e-3);
            h.Eval("accuracy/top1", 50 + (5 * e));
        }

        h.Sink.Events.OfType<AdviceEvent>().Should().BeEmpty("accuracy gained 10% at each evaluation");
    }

    [Fact]
    public void Early_stop_advice_comes_once_the_evaluation_metric_falls_away_from_its_peak()
    {
        var h = new EngineHarness();
        h.Feed(120, i => 3 - (0.01 * i), lr: _ => 1e-3);
        double[] accuracy = [60, 70, 75, 76, 74, 72, 70];
        foreach (double value in accuracy)
        {
            h.Feed(60, _ => 1.8 + (0.001 * (_noise.NextDouble() - 0.5)), lr: _ => 1e-3);
            h.Eval("accuracy/top1", value);
        }

        h.Engine.Finish(new CclAgent.Watch.Parsing.ParseStats()).Advice.Should().NotBeNull();
    }
}
