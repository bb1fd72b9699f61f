using CclAgent.Watch.Alerts;
using CclAgent.Watch.Events;
using CclAgent.Watch.Output;
using CclAgent.Watch.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace CclAgent.Watch.Tests.Alerts;

/// <summary>One test per alert kind, plus edge triggering and the console cooldown.</summary>
public sealed class AlertTests
{
    [Fact]
    public void Nan_loss_is_critical_on_its_line_and_raised_once_per_episode()
    {
        var h = new EngineHarness();
        h.Feed(10, _ => 1);
        h.Engine.OnRecord(TestRecords.Train(11, double.NaN));
        h.Engine.OnRecord(TestRecords.Train(12, double.PositiveInfinity));

        AlertEvent alert = Assert.Single(h.Sink.Alerts);
        Assert.Equal((AlertKinds.NanLoss, AlertSeverity.Critical, 11L), (alert.Kind, alert.Severity, alert.Line));
    }

    [Fact]
    public void Nan_grad_norm_is_a_warning()
    {
        var h = new EngineHarness();
        h.Engine.OnRecord(TestRecords.Train(1, 1.0, gradNorm: double.NaN));

        Assert.Equal(AlertKinds.NanGradNorm, Assert.Single(h.Sink.Alerts).Kind);
    }

    [Fact]
    public void A_loss_far_above_its_recent_median_is_a_spike()
    {
        var h = new EngineHarness();
        var noise = new Random(3);
        h.Feed(60, _ => 1 + (0.02 * noise.NextDouble()));
        h.Engine.OnRecord(TestRecords.Train(61, 3.0));

        AlertEvent alert = Assert.Single(h.Sink.Alerts);
        Assert.Equal(AlertKinds.LossSpike, alert.Kind);
        Assert.Contains("its recent median", alert.Message);
    }

    [Fact]
    public void A_grad_norm_ten_times_its_median_is_an_explosion()
    {
        var h = new EngineHarness();
        var noise = new Random(4);
        h.Feed(60, _ => 1, edit: (_, r) => r with { GradNorm = 1 + (0.1 * noise.NextDouble()) });
        h.Engine.OnRecord(TestRecords.Train(61, 1, gradNorm: 40));

        Assert.Equal(AlertKinds.GradNormExplosion, Assert.Single(h.Sink.Alerts).Kind);
    }

    [Fact]
    public void A_loss_scale_halved_down_to_one_is_a_collapse()
    {
        var h = new EngineHarness();
        double scale = 65536;
        h.Feed(20, _ => 1, edit: (_, r) => r with { LossScale = scale /= 2 });

        AlertEvent alert = Assert.Single(h.Sink.Alerts);
        Assert.Equal(AlertKinds.LossScaleCollapse, alert.Kind);
        Assert.Equal(AlertSeverity.Critical, alert.Severity);
    }

    [Fact]
    public void Validation_worse_twice_while_training_improves_is_val_degrading()
    {
        var h = new EngineHarness();
        h.Feed(60, i => 2 * (1 - (0.0006 * i)));
        h.Eval("eval_loss", 1.0);
        h.Feed(10, i => 1.92 * (1 - (0.0006 * i)));
        h.Eval("eval_loss", 1.1);
        h.Feed(10, i => 1.91 * (1 - (0.0006 * i)));
        h.Eval("eval_loss", 1.2);

        AlertEvent alert = Assert.Single(h.Sink.Alerts);
        Assert.Equal(AlertKinds.ValDegrading, alert.Kind);
        Assert.Contains("eval_loss got worse for 2 evaluations", alert.Message);
    }

    [Fact]
    public void Memory_growing_steadily_after_startup_is_memory_growth_with_distance_to_oom()
    {
        var h = new EngineHarness(new WatchSettings { GpuMemoryGb = 80 });
        h.Feed(300, _ => 1, edit: (i, r) => r with { MemoryMb = 20_000 + (i * 100.0) });

        AlertEvent alert = h.Sink.Alerts.First();
        Assert.Equal(AlertKinds.MemoryGrowth, alert.Kind);
        Assert.Contains("device is full in about", alert.Message);
    }

    [Fact]
    public void Slower_iterations_with_steady_data_time_suggest_tune()
    {
        var h = new EngineHarness();
        h.Feed(100, _ => 1, edit: (i, r) => r with { IterTimeSeconds = 0.5, DataTimeSeconds = 0.01 });
        h.Feed(40, _ => 1, edit: (i, r) => r with { IterTimeSeconds = 0.8, DataTimeSeconds = 0.01 });

        AlertEvent alert = Assert.Single(h.Sink.Alerts);
        Assert.Equal(AlertKinds.IterationTimeRegression, alert.Kind);
        Assert.Contains("ccl-agent tune", alert.Message);
        Assert.Contains("60% slower", alert.Message);
    }

    [Fact]
    public void Slower_iterations_with_rising_data_time_blame_the_input_pipeline()
    {
        var h = new EngineHarness();
        h.Feed(100, _ => 1, edit: (i, r) => r with { IterTimeSeconds = 0.5, DataTimeSeconds = 0.01 });
        h.Feed(40, _ => 1, edit: (i, r) => r with { IterTimeSeconds = 0.8, DataTimeSeconds = 0.3 });

        Assert.Contains("input pipeline", Assert.Single(h.Sink.Alerts).Message);
    }

    [Fact]
    public void No_lines_for_ten_usual_intervals_is_stalled_but_not_before_the_minimum()
    {
        var h = new EngineHarness();
        for (int i = 0; i < 5; i++)
        {
            h.Feed(1, _ => 1);
            h.Engine.OnActivity(h.Line);
            h.Time.Advance(TimeSpan.FromSeconds(2));
        }

        h.Time.Advance(TimeSpan.FromSeconds(50));
        h.Engine.OnIdle();
        Assert.Empty(h.Sink.Alerts);

        h.Time.Advance(TimeSpan.FromSeconds(10));
        h.Engine.OnIdle();
        AlertEvent alert = Assert.Single(h.Sink.Alerts);
        Assert.Equal(AlertKinds.Stalled, alert.Kind);
        Assert.Contains("lines usually arrive every 2 s", alert.Message);
    }

    [Fact]
    public void Console_shows_one_alert_of_a_kind_per_cooldown_and_counts_the_rest()
    {
        var time = new FakeTimeProvider();
        var output = new StringWriter();
        var console = new ConsoleSink(output, time, TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(30));
        AlertEvent spike = new() { Kind = AlertKinds.LossSpike, Severity = AlertSeverity.Warning, Message = "spike", Line = 1 };

        console.Emit(spike);
        console.Emit(spike with { Line = 2 });
        time.Advance(TimeSpan.FromMinutes(6));
        console.Emit(spike with { Line = 3 });

        string text = output.ToString();
        Assert.Contains("[line 1] warning loss_spike", text);
        Assert.DoesNotContain("[line 2]", text);
        Assert.Contains("[line 3] warning loss_spike", text);
    }
}
