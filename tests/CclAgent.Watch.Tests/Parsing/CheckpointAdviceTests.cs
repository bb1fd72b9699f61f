using CclAgent.Watch.Parsing;
using CclAgent.Watch.Records;
using CclAgent.Watch.Tests.Support;

namespace CclAgent.Watch.Tests.Parsing;

/// <summary>The checkpoints a log says it saved (nanoGPT, Megatron-LM, fairseq) are the ones early-stop advice names.</summary>
public sealed class CheckpointAdviceTests
{
    private readonly Random _noise = new(15);

    [Fact]
    public void Advice_names_the_first_checkpoint_the_log_saved_at_or_after_the_best_evaluation()
    {
        EngineHarness h = RunPastThePeak(checkpointStepsAfterBest: [5, 65]);

        string? checkpoint = h.Engine.Finish(new ParseStats()).Advice?.Checkpoint;

        checkpoint.Should().NotBeNull();
        checkpoint.Should().StartWith("/ckpt/checkpoint_a.pt (saved at step ");
        checkpoint.Should().Contain("the first saved at or after the best");
    }

    [Fact]
    public void Without_a_saved_checkpoint_after_the_best_advice_falls_back_to_the_frameworks_naming()
    {
        EngineHarness h = RunPastThePeak(checkpointStepsAfterBest: []);

        string? checkpoint = h.Engine.Finish(new ParseStats()).Advice?.Checkpoint;

        checkpoint.Should().NotBeNull();
        checkpoint.Should().Contain(".pth", "the harness's records are MMEngine's, whose checkpoints are iter_N.pth / epoch_N.pth");
    }

    /// <summary>The accuracy peaks at its fourth evaluation and falls away; checkpoints are saved a few records after it.</summary>
    private EngineHarness RunPastThePeak(int[] checkpointStepsAfterBest)
    {
        var h = new EngineHarness();
        h.Feed(120, i => 3 - (0.01 * i), lr: _ => 1e-3);
        double[] accuracy = [60, 70, 75, 76, 74, 72, 70];
        for (int e = 0; e < accuracy.Length; e++)
        {
            h.Feed(60, _ => 1.8 + (0.001 * (_noise.NextDouble() - 0.5)), lr: _ => 1e-3);
            h.Eval("accuracy/top1", accuracy[e]);
            if (e == 3)
            {
                // Records are numbered by line and their step is line × 10: the best evaluation sits at the last step fed.
                long best = h.Line * 10;
                string[] names = ["/ckpt/checkpoint_a.pt", "/ckpt/checkpoint_b.pt"];
                h.Engine.OnRecord(new MetricRecord { Line = h.Line, Kind = RecordKind.Checkpoint, Format = LogFormat.Fairseq, Step = best - 100, CheckpointPath = "/ckpt/before.pt" });
                for (int c = 0; c < checkpointStepsAfterBest.Length; c++)
                {
                    h.Engine.OnRecord(new MetricRecord { Line = h.Line, Kind = RecordKind.Checkpoint, Format = LogFormat.Fairseq, Step = best + checkpointStepsAfterBest[c], CheckpointPath = names[c] });
                }
            }
        }

        return h;
    }
}
