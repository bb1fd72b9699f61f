using CclAgent.Watch.Parsing;
using CclAgent.Watch.Records;

namespace CclAgent.Watch.Tests.Parsing;

/// <summary>
/// The line shapes the real-log corpus (RealLogs/) taught the parsers, each on lines copied from the log it came from;
/// the comment names the case directory, whose case.json cites the published source.
/// </summary>
public sealed class RealLineTests
{
    [Fact]
    public void Olmo_console_blocks_give_one_record_per_step_with_the_grad_norm_printed_before_the_loss()
    {
        // RealLogs/olmo-1b-reproduce-prefix (AntonioLopardo/OLMo, train_20251211_002555.log lines 57-60)
        string[] lines =
        [
            "2025-12-11 00:27:01.586\thazy-book-rustles-fin-02:0\tolmo.train:979\tINFO\t[step=1/2500,epoch=0]",
            "    optim/total_grad_norm=11.55",
            "    train/CrossEntropyLoss=11.33",
            "    train/Perplexity=83,461",
        ];
        var parser = new LineParser(LogFormat.Auto);

        MetricRecord?[] records = [.. lines.Select((l, i) => parser.Parse(l, i + 1))];

        MetricRecord loss = records[2]!;
        loss.Format.Should().Be(LogFormat.Olmo);
        (loss.Step, loss.MaxStep, loss.Loss, loss.GradNorm).Should().Be((1L, 2500L, 11.33, 11.55));
        records.Count(r => r is not null).Should().Be(1, "the header, the optimizer line and the perplexity are not records");
    }

    [Fact]
    public void A_sacrebleu_score_string_is_a_bleu_evaluation_and_a_named_saved_module_is_a_checkpoint()
    {
        // RealLogs/nmt-transformer-bleu-peaks-epoch12 (Ma-787639046/NLP_Trans, output/train.log lines 20 and 22)
        var parser = new LineParser(LogFormat.Auto);

        MetricRecord bleu = parser.Parse("[INFO] 2021-12-25 21:44:38,457 : Epoch:  1 Dev Bleu Score: BLEU = 0.01 14.9/1.0/0.0/0.0 (BP = 0.044 ratio = 0.242 hyp_len = 137316 ref_len = 567172)", 20)!;
        MetricRecord saved = parser.Parse("[INFO] 2021-12-25 21:44:41,228 : Best Module in [Epoch 1] saved!", 22)!;

        (bleu.Kind, bleu.Eval.Single()).Should().Be((RecordKind.Eval, new Metric("bleu", 0.01)));
        saved.Kind.Should().Be(RecordKind.Checkpoint);
        saved.CheckpointPath.Should().Contain("Best Module in [Epoch 1] saved!");
    }

    [Fact]
    public void Two_word_split_keys_keep_the_validation_loss_apart_from_the_training_loss()
    {
        // RealLogs/cgcnn-noisy-valid-300ep (CaryBond/data-science-project, readme_output_aws.txt line 40)
        var parser = new LineParser(LogFormat.Auto);

        MetricRecord r = parser.Parse("2025-07-07 13:55:26.649 INFO: Epoch [001/300] - Train Loss: 145.13359, Valid Loss: 70.66399, LR: [0.001]", 40)!;

        r.Format.Should().Be(LogFormat.KeyValue, "one bracket is not mmcv's [epoch][iter/iters]");
        r.Loss.Should().Be(145.13359);
        r.Eval.Should().Equal(new Metric("valid_loss", 70.66399));
    }

    [Fact]
    public void A_nan_loss_wrapped_in_markdown_emphasis_is_still_nan()
    {
        // RealLogs/mmdet-issue5911-intermittent-nan (open-mmlab/mmdetection#5911, the line as pasted in the issue)
        MetricRecord r = new LineParser(LogFormat.Auto).Parse(
            "2021-08-18 19:37:12,902 - mmdet - INFO - Epoch [1][150/5808]\tlr: 1.000e-02, eta: 4:46:48, time: 0.736, data_time: 0.020, memory: 8104, loss_rpn_cls: 0.3319, loss_rpn_bbox: 0.1191, loss_cls: 0.4035, acc: 92.77**39, loss_bbox: nan, loss: nan**", 3)!;

        r.Loss.Should().Be(double.NaN);
        r.Step.Should().Be(150);
    }
}
