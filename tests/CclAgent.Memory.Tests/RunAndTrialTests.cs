using CclAgent.Core.Steps;
using CclAgent.Memory.Tests.Support;

namespace CclAgent.Memory.Tests;

public sealed class RunAndTrialTests : IDisposable
{
    private readonly TestBed _bed = new();

    public void Dispose() => _bed.Dispose();

    [Fact]
    public void Trials_round_trip_their_configs_and_outcomes()
    {
        _bed.Store.RecordRun(Records.Run("run-1"));
        var config = Records.Config(("NCCL_PROTO", "Simple"), ("NCCL_ALGO", "Ring"), ("NCCL_NTHREADS", "512"));
        _bed.Store.RecordTrial(Records.Trial("run-1", 0, new Dictionary<string, string>()) with { Kind = StepKind.Baseline });
        _bed.Store.RecordTrial(Records.Trial("run-1", 1, config) with
        {
            IterationMs = null,
            Status = StepStatus.Failed,
            FailureClass = "hang",
        });

        IReadOnlyList<TrialRecord> trials = _bed.Store.Trials();

        Assert.Equal(2, trials.Count);
        Assert.Empty(trials[0].Config);
        Assert.Equal(string.Empty, trials[0].ConfigKey);
        Assert.Equal(StepKind.Baseline, trials[0].Kind);
        Assert.Equal(95.5, trials[0].IterationMs);
        Assert.Equal(config.OrderBy(pair => pair.Key), trials[1].Config.OrderBy(pair => pair.Key));
        Assert.Equal("NCCL_ALGO=Ring;NCCL_NTHREADS=512;NCCL_PROTO=Simple", trials[1].ConfigKey);
        Assert.Null(trials[1].IterationMs);
        Assert.Equal((StepStatus.Failed, "hang"), (trials[1].Status, trials[1].FailureClass));
        Assert.All(trials, trial => Assert.Equal(TestBed.Start, trial.RecordedAt));
    }

    [Fact]
    public void Configs_are_stored_as_canonical_json_whatever_their_insertion_order()
    {
        _bed.Store.RecordRun(Records.Run("run-1"));
        _bed.Store.RecordTrial(Records.Trial("run-1", 0, Records.Config(("NCCL_PROTO", "Simple"), ("NCCL_ALGO", "Ring"))));

        object? json = RawSqlite.Scalar(_bed.DatabasePath, "SELECT config_json FROM trials;");

        Assert.Equal("""{"NCCL_ALGO":"Ring","NCCL_PROTO":"Simple"}""", json);
    }

    [Fact]
    public void Trials_come_back_in_recording_order_and_can_be_filtered_by_context()
    {
        _bed.Store.RecordRun(Records.Run("run-1"));
        _bed.Store.RecordTrial(Records.Trial("run-1", 2));
        _bed.Time.Advance(TimeSpan.FromMinutes(1));
        _bed.Store.RecordTrial(Records.Trial("run-1", 1) with { ContextSignature = Contexts.A40NvLink.Signature });
        _bed.Store.RecordTrial(Records.Trial("run-1", 0));

        Assert.Equal([2, 0, 1], _bed.Store.Trials().Select(trial => trial.Step));
        Assert.Equal([1], _bed.Store.Trials(Contexts.A40NvLink.Signature).Select(trial => trial.Step));
    }

    [Fact]
    public void Recording_the_same_trial_twice_is_refused()
    {
        _bed.Store.RecordRun(Records.Run("run-1"));
        _bed.Store.RecordTrial(Records.Trial("run-1", 3));

        var error = Assert.Throws<InvalidOperationException>(() => _bed.Store.RecordTrial(Records.Trial("run-1", 3)));

        Assert.Contains("already recorded", error.Message, StringComparison.Ordinal);
        _bed.Store.RecordTrial(Records.Trial("run-1", 3) with { Kind = StepKind.Confirm });
        Assert.Equal(2, _bed.Store.Stats().Trials);
    }

    [Fact]
    public void A_trial_of_an_unrecorded_run_is_refused_by_the_foreign_key()
    {
        var error = Assert.Throws<InvalidOperationException>(() => _bed.Store.RecordTrial(Records.Trial("ghost", 0)));

        Assert.Contains("call RecordRun", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_trial_with_an_unknown_status_is_refused()
    {
        _bed.Store.RecordRun(Records.Run("run-1"));

        Action record = () => _bed.Store.RecordTrial(Records.Trial("run-1", 0) with { Status = (StepStatus)42 });

        record.Should().Throw<ArgumentException>().WithMessage("*status 42*");
    }

    [Fact]
    public void Recording_a_run_again_updates_it_in_place()
    {
        _bed.Store.RecordRun(Records.Run("run-1"));
        _bed.Store.RecordTrial(Records.Trial("run-1", 0));
        RunRecord finished = Records.Finished("run-1", Contexts.A40Pcie, 1.25, TestBed.Start);

        _bed.Store.RecordRun(finished);

        RunRecord stored = Assert.Single(_bed.Store.Runs());
        Assert.Equal(finished.FinishedAt, stored.FinishedAt);
        Assert.Equal(1.25, stored.Speedup);
        Assert.Equal(80, stored.BestIterationMs);
        Assert.Equal("NCCL_ALGO=Tree", ConfigKeys.Of(stored.BestConfig));
        Assert.Equal(("budget", 12), (stored.StopReason, stored.Trials));
        Assert.Equal(Contexts.A40Pcie.Signature, stored.ContextSignature);
        Assert.Equal(1, _bed.Store.Stats().Trials);
    }

    [Fact]
    public void Runs_come_back_newest_first_and_can_be_filtered_by_context()
    {
        _bed.Store.RecordRun(Records.Run("old", Contexts.A40Pcie, TestBed.Start));
        _bed.Store.RecordRun(Records.Run("other", Contexts.A40NvLink, TestBed.Start.AddDays(1)));
        _bed.Store.RecordRun(Records.Run("new", Contexts.A40Pcie, TestBed.Start.AddDays(2)));

        Assert.Equal(["new", "other", "old"], _bed.Store.Runs().Select(run => run.RunId));
        Assert.Equal(["new", "old"], _bed.Store.Runs(Contexts.A40Pcie.Signature).Select(run => run.RunId));
    }
}
