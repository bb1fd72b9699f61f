using CclAgent.Watch.Parsing;
using CclAgent.Watch.Records;

namespace CclAgent.Watch.Tests.Parsing;

/// <summary>Each parser on real lines quoted in public issues and tutorials (the source of each is in its test's comment).</summary>
public sealed class ParserTests
{
    [Fact]
    public void Mmengine_train_line_from_mmengine_pr_155_gives_step_lr_time_memory_loss_and_eta()
    {
        // open-mmlab/mmengine PR #155
        MetricRecord r = ParseOne(new MmEngineParser(), "04/21 21:03:53 - mmengine - INFO - Epoch(train) [1][10/90]  lr: 1.000e-02  eta: 0:00:25  time: 0.010  data_time: 0.000  memory: 0  loss: 11.4723");

        Assert.Equal(RecordKind.Train, r.Kind);
        Assert.Equal(10, r.Step);
        Assert.Equal(1, r.Epoch);
        Assert.Equal(0.01, r.LearningRate);
        Assert.Equal(25, r.FrameworkEtaSeconds);
        Assert.Equal(0.010, r.IterTimeSeconds);
        Assert.Equal(0, r.MemoryMb);
        Assert.Equal(11.4723, r.Loss);
    }

    [Fact]
    public void Mmengine_padded_line_with_nan_grad_norm_reads_lr_not_base_lr_and_the_global_step()
    {
        // A padded MMEngine line from a YOLO-World fine-tuning tutorial (epoch changed to 2 to test the global step)
        MetricRecord r = ParseOne(new MmEngineParser(), "2024/06/19 01:21:51 - mmengine - INFO - Epoch(train)  [2][  50/1509]  base_lr: 2.0000e-04 lr: 2.1648e-06  eta: 8:27:55  time: 0.2526  data_time: 0.0334  memory: 9182  grad_norm: nan  loss: 59.1782  loss_cls: 21.0711");

        Assert.Equal(1509 + 50, r.Step);
        Assert.Equal(2.1648e-06, r.LearningRate);
        Assert.True(double.IsNaN(r.GradNorm!.Value));
        Assert.Equal(9182, r.MemoryMb);
        Assert.Equal((8 * 3600) + (27 * 60) + 55, r.FrameworkEtaSeconds);
        Assert.Equal(59.1782, r.Loss);
        Assert.Contains(r.Losses, m => m.Name == "loss_cls" && m.Value == 21.0711);
    }

    [Fact]
    public void Mmengine_iteration_mode_gives_max_step()
    {
        MetricRecord r = ParseOne(new MmEngineParser(), "04/21 21:03:53 - mmengine - INFO - Iter(train) [ 200/4000]  lr: 1.000e-02  eta: 0:10:00  time: 0.150  data_time: 0.010  memory: 3000  loss: 1.5");

        Assert.Equal(200, r.Step);
        Assert.Equal(4000, r.MaxStep);
    }

    [Fact]
    public void Mmengine_test_result_line_is_an_eval_record_and_val_progress_lines_are_progress()
    {
        // open-mmlab/mmdetection PR #9012 and AILab-CVC/YOLO-World#555
        MetricRecord r = ParseOne(new MmEngineParser(), "2022/10/13 11:29:53 - mmengine - INFO - Epoch(test) [100/100]  coco/bbox_mAP: 0.5190  coco/bbox_mAP_50: 0.6720  coco/bbox_mAP_75: 0.5610");
        Assert.Equal(RecordKind.Eval, r.Kind);
        Assert.Equal(new Metric("coco/bbox_mAP", 0.5190), r.Eval[0]);
        Assert.Null(r.Epoch);

        LineKind kind = new MmEngineParser().Parse("2024/12/22 05:30:53 - mmengine - INFO - Epoch(val)  [5][1550/5000]    eta: 0:03:15  time: 0.0564  data_time: 0.0002  memory: 1445  ", 2, out MetricRecord? none);
        Assert.Equal(LineKind.Progress, kind);
        Assert.Null(none);
    }

    [Fact]
    public void Mmcv_era_line_with_tab_and_commas_is_parsed_by_the_mmcv_parser_only()
    {
        // open-mmlab/mmdetection#2672
        const string line = "2020-05-08 18:56:16,649 - mmdet - INFO - Epoch [1][2400/7517]\tlr: 0.00125, eta: 4:33:09, time: 0.595, data_time: 0.032, memory: 6836, loss_rpn_cls: 0.0989, loss: 0.4890";
        MetricRecord r = ParseOne(new MmcvParser(), line);

        Assert.Equal(LogFormat.Mmcv, r.Format);
        Assert.Equal(2400, r.Step);
        Assert.Equal(0.00125, r.LearningRate);
        Assert.Equal((4 * 3600) + (33 * 60) + 9, r.FrameworkEtaSeconds);
        Assert.Equal(0.595, r.IterTimeSeconds);
        Assert.Equal(6836, r.MemoryMb);
        Assert.Equal(0.4890, r.Loss);
        Assert.Equal(LineKind.Unknown, new MmEngineParser().Parse(line, 1, out _));
    }

    [Fact]
    public void Mmcv_2018_line_without_logger_name_and_with_expanded_tab_still_parses()
    {
        // open-mmlab/mmdetection#64
        MetricRecord r = ParseOne(new MmcvParser(), "2018-10-23 10:51:07,015 - INFO - Epoch [3][50/2500]     lr: 0.02000, time: 1.090, data_time: 0.015, loss_reg: 0.0096, acc: 99.0479, loss_cls: 0.0230, loss: 0.0394");

        Assert.Equal((2 * 2500) + 50, r.Step);
        Assert.Equal(1.090, r.IterTimeSeconds);
        Assert.Equal(0.0394, r.Loss);
    }

    [Fact]
    public void Huggingface_dicts_take_step_total_and_speed_from_the_tqdm_bar()
    {
        // hiyouga/LlamaFactory#8261, with the tqdm bar the Trainer interleaves on the same stdout
        var parser = new HuggingFaceParser();
        Assert.Equal(LineKind.Progress, parser.Parse("  1%|          | 10/1752 [00:29<1:22:01,  2.83s/it]", 1, out _));
        MetricRecord r = ParseOne(parser, "{'loss': 3.5534, 'grad_norm': 1.4142135381698608, 'learning_rate': 2.0454545454545457e-06, 'epoch': 0.01}", 2);

        Assert.Equal(RecordKind.Train, r.Kind);
        Assert.Equal(3.5534, r.Loss);
        Assert.Equal(1.4142135381698608, r.GradNorm);
        Assert.Equal(2.0454545454545457e-06, r.LearningRate);
        Assert.Equal(0.01, r.Epoch);
        Assert.Equal(10, r.Step);
        Assert.Equal(1752, r.MaxStep);
        Assert.Equal(2.83, r.IterTimeSeconds);
    }

    [Fact]
    public void Huggingface_eval_dict_keeps_quality_metrics_and_drops_runtimes()
    {
        // huggingface/sentence-transformers PR #2449
        MetricRecord r = ParseOne(new HuggingFaceParser(), "{'eval_loss': 1.2490781545639038, 'eval_pearson_cosine': 0.8708, 'eval_runtime': 49.1914, 'eval_samples_per_second': 119.431, 'eval_steps_per_second': 0.061, 'epoch': 0.44}");

        Assert.Equal(RecordKind.Eval, r.Kind);
        Assert.Equal(["eval_loss", "eval_pearson_cosine"], r.Eval.Select(m => m.Name));
    }

    [Fact]
    public void Huggingface_end_of_training_dict_is_final()
    {
        MetricRecord r = ParseOne(new HuggingFaceParser(), "{'train_runtime': 3600.5, 'train_samples_per_second': 12.3, 'train_steps_per_second': 0.5, 'train_loss': 1.234, 'epoch': 3.0}");

        Assert.Equal(RecordKind.Final, r.Kind);
        Assert.Equal(1.234, r.Loss);
    }

    [Fact]
    public void Detectron2_event_line_from_detectron2_issue_3363()
    {
        MetricRecord r = ParseOne(new Detectron2Parser(), "[08/14 10:48:18 d2.utils.events]:  eta: 0:22:36  iter: 9079  total_loss: 0.4138  loss_cls: 0.07042  loss_box_reg: 0.05505  loss_mask: 0.1608  loss_rpn_cls: 0.07018  loss_rpn_loc: 0.082  time: 0.4564  data_time: 0.0458  lr: 0.0003  max_mem: 1962M");

        Assert.Equal(9079, r.Step);
        Assert.Equal(0.4138, r.Loss);
        Assert.Equal(0.4564, r.IterTimeSeconds);
        Assert.Equal(1962, r.MemoryMb);
        Assert.Equal((22 * 60) + 36, r.FrameworkEtaSeconds);
        Assert.Equal(5, r.Losses.Count);
    }

    [Fact]
    public void Detectron2_copypaste_results_become_one_eval_record()
    {
        var parser = new Detectron2Parser();
        Assert.Equal(LineKind.Progress, parser.Parse("[08/14 11:10:00 d2.evaluation.testing]: copypaste: Task: bbox", 1, out _));
        Assert.Equal(LineKind.Progress, parser.Parse("[08/14 11:10:00 d2.evaluation.testing]: copypaste: AP,AP50,AP75,APs,APm,APl", 2, out _));
        MetricRecord r = ParseOne(parser, "[08/14 11:10:00 d2.evaluation.testing]: copypaste: 37.9,58.8,41.0,21.2,41.3,49.6", 3);

        Assert.Equal(RecordKind.Eval, r.Kind);
        Assert.Equal(new Metric("bbox/AP", 37.9), r.Eval[0]);
        Assert.Equal(6, r.Eval.Count);
    }

    [Fact]
    public void Jsonl_scalars_from_mmengine_963_and_eval_objects_and_python_nan()
    {
        MetricRecord train = ParseOne(new JsonlParser(), "{\"lr\": 0.001, \"data_time\": 0.0089, \"loss\": 5.0275, \"time\": 0.2356, \"epoch\": 1, \"step\": 10}");
        Assert.Equal(10, train.Step);
        Assert.Equal(5.0275, train.Loss);
        Assert.Equal(0.2356, train.IterTimeSeconds);

        // open-mmlab/mmengine#380
        MetricRecord eval = ParseOne(new JsonlParser(), "{\"coco/bbox_mAP\": 0.22, \"coco/bbox_mAP_50\": 0.367, \"step\": 1}");
        Assert.Equal(RecordKind.Eval, eval.Kind);

        MetricRecord nan = ParseOne(new JsonlParser(), "{\"lr\": 0.001, \"loss\": NaN, \"step\": 20}");
        Assert.True(double.IsNaN(nan.Loss!.Value));
    }

    [Fact]
    public void Key_value_lines_need_a_metric_so_chatter_is_not_a_record()
    {
        MetricRecord r = ParseOne(new KeyValueParser(), "step=120 loss=2.31 lr=3e-4 grad_norm=0.9 loss_scale=65536");
        Assert.Equal(120, r.Step);
        Assert.Equal(65536, r.LossScale);

        MetricRecord keras = ParseOne(new KeyValueParser(), "469/469 [==============================] - 5s 10ms/step - loss: 0.2100 - accuracy: 0.9300 - val_loss: 0.1200 - val_accuracy: 0.9600");
        Assert.Equal(0.21, keras.Loss);
        Assert.Equal(["val_loss", "val_accuracy"], keras.Eval.Select(m => m.Name));

        Assert.Equal(LineKind.Unknown, new KeyValueParser().Parse("Elapsed time: 12.5", 1, out _));
    }

    [Fact]
    public void Auto_detection_skips_and_counts_noise_and_never_throws()
    {
        var parser = new LineParser(LogFormat.Auto);
        string[] lines =
        [
            "04/21 21:03:52 - mmengine - INFO - Checkpoints will be saved to /tmp by HardDiskBackend.",
            "04/21 21:03:53 - mmengine - INFO - Epoch(train) [1][10/90]  lr: 1.000e-02  eta: 0:00:25  time: 0.010  data_time: 0.000  memory: 0  loss: 11.4723",
            "ubuntu:39964:40044 [0] misc/socket.cc:49 NCCL WARN socketProgress: Connection closed by remote peer node1<57557>",
            "",
            "  1%|          | 10/1752 [00:29<1:22:01,  2.83s/it]\r  2%|          | 20/1752 [00:58<1:21:01,  2.80s/it]",
            "{'loss': 3.5534, 'grad_norm': 1.41, 'learning_rate': 2.0e-06, 'epoch': 0.01}",
            "Traceback (most recent call last): {'unbalanced",
        ];
        MetricRecord?[] records = lines.Select((l, i) => parser.Parse(l, i + 1)).ToArray();

        Assert.Equal(LogFormat.MmEngine, records[1]!.Format);
        Assert.Equal(LogFormat.HuggingFace, records[5]!.Format);
        Assert.Equal(20, records[5]!.Step);
        Assert.Equal(7, parser.Stats.Lines);
        Assert.Equal(2, parser.Stats.Records);
        Assert.Equal(1, parser.Stats.Progress);
        Assert.Equal(1, parser.Stats.Blank);
        Assert.Equal(3, parser.Stats.Unknown);
    }

    [Theory]
    [InlineData("coco/bbox_mAP", MetricDirection.HigherIsBetter)]
    [InlineData("eval_loss", MetricDirection.LowerIsBetter)]
    [InlineData("accuracy/top1", MetricDirection.HigherIsBetter)]
    [InlineData("eval_steps_per_second", MetricDirection.Unknown)]
    [InlineData("val_wer", MetricDirection.LowerIsBetter)]
    [InlineData("bbox/AP50", MetricDirection.HigherIsBetter)]
    public void Metric_direction_is_inferred_from_the_name(string name, MetricDirection expected) => Assert.Equal(expected, MetricDirections.Infer(name));

    private static MetricRecord ParseOne(ILogParser parser, string text, long line = 1)
    {
        Assert.Equal(LineKind.Record, parser.Parse(text, line, out MetricRecord? record));
        Assert.Equal(line, record!.Line);
        return record;
    }
}
