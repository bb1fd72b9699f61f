using CclAgent.Watch.Analysis;
using CclAgent.Watch.Tests.Support;

namespace CclAgent.Watch.Tests.Analysis;

/// <summary>Two runs appended to one file: the step counter going back to its start opens a new run segment.</summary>
public sealed class RunSegmentTests
{
    [Fact]
    public void A_step_counter_that_falls_back_to_its_start_opens_a_new_run_segment()
    {
        var h = new EngineHarness();
        h.Feed(100, i => 3 - (0.01 * i), edit: (i, r) => r with { Step = (i + 1) * 10 });
        h.Feed(5, i => 3 - (0.01 * i), edit: (i, r) => r with { Step = (i + 1) * 10 });

        h.Sink.Changes.Should().Contain(c => c.To == TrainingPhase.Initializing && c.Reason.Contains("a new run starts"));
        h.Phase.Should().Be(TrainingPhase.Initializing);
    }

    [Fact]
    public void A_step_counter_that_goes_on_rising_or_dips_a_little_stays_one_run()
    {
        var h = new EngineHarness();
        h.Feed(100, i => 3 - (0.01 * i), edit: (i, r) => r with { Step = (i + 1) * 10 });
        h.Feed(5, i => 2 - (0.01 * i), edit: (i, r) => r with { Step = 900 + (i * 10) }); // a resume from a checkpoint a little back

        h.Sink.Changes.Should().NotContain(c => c.Reason.Contains("a new run starts"));
    }
}
