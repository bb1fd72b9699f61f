using CclAgent.Watch.Analysis;
using CclAgent.Watch.Events;
using CclAgent.Watch.Tests.Support;

namespace CclAgent.Watch.Tests.Analysis;

/// <summary>One test per phase transition, on synthetic series with known trends.</summary>
public sealed class PhaseTransitionTests
{
    private readonly Random _noise = new(42);

    [Fact]
    public void Rising_learning_rate_is_warmup_with_the_lr_in_the_reason()
    {
        var h = new EngineHarness();
        h.Feed(30, i => 5 - (0.01 * i), lr: i => 1e-4 * (i + 1));

        PhaseChangeEvent change = Assert.Single(h.Sink.Changes);
        Assert.Equal((TrainingPhase.Initializing, TrainingPhase.Warmup), (change.From, change.To));
        Assert.Contains("learning rate rising", change.Reason);
    }

    [Fact]
    public void Warmup_then_a_fast_falling_loss_is_learning_fast_with_the_drop_in_numbers()
    {
        var h = new EngineHarness();
        h.Feed(30, i => 5, lr: i => 1e-4 * (i + 1));
        h.Feed(80, i => 1 + (4 * Math.Exp(-i / 40.0)), lr: _ => 3e-3);

        PhaseChangeEvent change = h.Sink.Changes.Last();
        Assert.Equal((TrainingPhase.Warmup, TrainingPhase.LearningFast), (change.From, change.To));
        Assert.Matches(@"smoothed loss fell \d+\.\d% over the last \d+ records \(\d", change.Reason);
    }

    [Fact]
    public void A_slow_steady_decline_is_stable_convergence()
    {
        var h = new EngineHarness();
        h.Feed(150, i => 2 * (1 - (0.0004 * i)));

        Assert.Equal(TrainingPhase.StableConvergence, h.Phase);
    }

    [Fact]
    public void A_flat_noisy_loss_is_a_plateau()
    {
        var h = new EngineHarness();
        h.Feed(60, i => 3 - (0.02 * i));
        h.Feed(200, _ => 1.8 + (0.01 * (_noise.NextDouble() - 0.5)));

        Assert.Equal(TrainingPhase.Plateau, h.Phase);
    }

    [Fact]
    public void A_plateau_with_an_annealed_learning_rate_becomes_converged()
    {
        var h = new EngineHarness();
        h.Feed(100, _ => 1 + (0.002 * (_noise.NextDouble() - 0.5)), lr: _ => 1e-3);
        Assert.Equal(TrainingPhase.Plateau, h.Phase);
        h.Feed(200, _ => 1 + (0.002 * (_noise.NextDouble() - 0.5)), lr: _ => 1e-5);

        Assert.Equal(TrainingPhase.Converged, h.Phase);
        Assert.Contains("of its peak", h.Sink.Changes.Last().Reason);
    }

    [Fact]
    public void Reaching_the_last_iteration_is_converged_at_once()
    {
        var h = new EngineHarness();
        h.Feed(40, i => 2 - (0.01 * i));
        h.Engine.OnRecord(TestRecords.Train(41, 1.5, step: 4000, maxStep: 4000));

        Assert.Equal(TrainingPhase.Converged, h.Phase);
        Assert.Equal("training reached its last iteration", h.Sink.Changes.Last().Reason);
    }

    [Fact]
    public void A_rising_loss_is_diverging()
    {
        var h = new EngineHarness();
        h.Feed(60, i => 2 - (0.01 * i));
        h.Feed(80, i => 1.4 * Math.Exp(i / 60.0));

        Assert.Equal(TrainingPhase.Diverging, h.Phase);
        Assert.Contains("rose", h.Sink.Changes.Last().Reason);
    }

    [Fact]
    public void A_nan_loss_is_diverging_immediately_without_confirmation()
    {
        var h = new EngineHarness();
        h.Feed(60, i => 2 - (0.01 * i));
        h.Engine.OnRecord(TestRecords.Train(61, double.NaN));

        PhaseChangeEvent change = h.Sink.Changes.Last();
        Assert.Equal(TrainingPhase.Diverging, change.To);
        Assert.Equal(61, change.Line);
    }

    [Fact]
    public void Validation_getting_worse_while_training_improves_is_overfitting_risk()
    {
        var h = new EngineHarness();
        h.Feed(60, i => 2 * (1 - (0.0006 * i)));
        h.Eval("coco/bbox_mAP", 0.40);
        h.Feed(30, i => 1.93 * (1 - (0.0006 * i)));
        h.Eval("coco/bbox_mAP", 0.38);
        h.Feed(30, i => 1.9 * (1 - (0.0006 * i)));
        h.Eval("coco/bbox_mAP", 0.37);
        h.Feed(30, i => 1.87 * (1 - (0.0006 * i)));

        Assert.Equal(TrainingPhase.OverfittingRisk, h.Phase);
        Assert.Contains("coco/bbox_mAP worse than its best (0.37 vs 0.4)", h.Sink.Changes.Last().Reason);
    }

    [Fact]
    public void Hysteresis_a_phase_changes_only_after_enough_agreeing_records()
    {
        var settings = new WatchSettings();
        var tracker = new PhaseTracker(settings);
        for (int i = 1; i <= 30; i++)
        {
            tracker.CountRecord(i, i);
        }

        tracker.Propose(TrainingPhase.StableConvergence, "r", urgent: true, 30, 30);
        for (int i = 31; i <= 60; i++)
        {
            tracker.CountRecord(i, i);
            Assert.Null(i < 31 + settings.ConfirmRecords - 1 ? tracker.Propose(TrainingPhase.Plateau, "r", urgent: false, i, i) : null);
        }

        Assert.Equal(TrainingPhase.StableConvergence, tracker.Current);
        Assert.NotNull(tracker.Propose(TrainingPhase.Plateau, "r", urgent: false, 61, 61));
    }

    [Fact]
    public void Hysteresis_thresholds_enter_learning_fast_at_5_percent_and_leave_it_below_3()
    {
        var rules = new PhaseRules(new WatchSettings());
        PhaseInputs falling4 = new() { Current = TrainingPhase.LearningFast, HasTrend = true, RelativeChange = -0.04, TrendT = -5, WindowRecords = 50 };

        Assert.Equal(TrainingPhase.LearningFast, rules.Classify(falling4).Phase);
        Assert.Equal(TrainingPhase.StableConvergence, rules.Classify(falling4 with { Current = TrainingPhase.StableConvergence }).Phase);
        Assert.Equal(TrainingPhase.Plateau, rules.Classify(falling4 with { Current = TrainingPhase.Plateau, RelativeChange = -0.008 }).Phase);
        Assert.Equal(TrainingPhase.StableConvergence, rules.Classify(falling4 with { Current = TrainingPhase.StableConvergence, RelativeChange = -0.008 }).Phase);
    }

    [Fact]
    public void Silence_is_stalled_and_new_lines_return_to_the_previous_phase()
    {
        var h = new EngineHarness();
        for (int i = 0; i < 10; i++)
        {
            h.Feed(10, j => 2 * (1 - (0.0004 * ((i * 10) + j))));
            h.Engine.OnActivity(h.Line);
            h.Time.Advance(TimeSpan.FromSeconds(10));
        }

        // Lines came every 10 s, so the threshold is max(60 s, 10 × 10 s) = 100 s after the last line.
        TrainingPhase before = h.Phase;
        h.Time.Advance(TimeSpan.FromSeconds(85));
        h.Engine.OnIdle();
        Assert.Equal(before, h.Phase);
        h.Time.Advance(TimeSpan.FromSeconds(10));
        h.Engine.OnIdle();

        Assert.Equal(TrainingPhase.Stalled, h.Phase);
        h.Engine.OnActivity(h.Line + 1);
        Assert.Equal(before, h.Phase);
        Assert.Contains("new lines after 105 s", h.Sink.Changes.Last().Reason);
    }

    [Fact]
    public void The_trainer_summary_line_is_converged()
    {
        var h = new EngineHarness();
        h.Feed(20, i => 2 - (0.01 * i));
        h.Engine.OnRecord(new CclAgent.Watch.Records.MetricRecord { Line = 99, Kind = CclAgent.Watch.Records.RecordKind.Final, Format = CclAgent.Watch.Parsing.LogFormat.HuggingFace, Loss = 1.2 });

        Assert.Equal(TrainingPhase.Converged, h.Phase);
    }
}
