using CclAgent.Watch.Parsing;
using CclAgent.Watch.Records;

namespace CclAgent.Watch.Tests.Parsing;

/// <summary>
/// DeepSpeed (and DeepSpeed-Chat), fairseq, PyTorch Lightning, detectron2's log.txt and LLaMA-Factory on real lines;
/// each test's comment names where they were published.
/// </summary>
public sealed class FrameworkFormatTests
{
    // microsoft/DeepSpeedExamples applications/DeepSpeed-Chat/training/step1_supervised_finetuning/training_log_output/opt-1.3b-globalBatchSize128.log
    // (commit 24fd63c3c37113f6463453bce70014b399e1e577)
    private static readonly string[] DeepSpeedChatLog =
    [
        "***** Evaluating perplexity, Epoch 0/16 *****",
        "ppl: 4998.29638671875",
        "Beginning of Epoch 1/16, Total Micro Batches 460",
        "[2023-04-18 01:46:52,554] [INFO] [loss_scaler.py:188:update_scale] [deepspeed] OVERFLOW! Rank 0 Skipping step. Attempted loss scale: 65536, but hysteresis is 2. Reducing hysteresis to 1",
        "[2023-04-18 01:46:53,259] [INFO] [loss_scaler.py:181:update_scale] [deepspeed] OVERFLOW! Rank 0 Skipping step. Attempted loss scale: 65536, reducing to 32768",
        "[2023-04-18 01:46:53,967] [INFO] [loss_scaler.py:181:update_scale] [deepspeed] OVERFLOW! Rank 0 Skipping step. Attempted loss scale: 32768, reducing to 16384",
        "[2023-04-18 01:46:59,142] [INFO] [logging.py:96:log_dist] [Rank 0] step=10, skipped=6, lr=[9.649992967150629e-06, 9.649992967150629e-06], mom=[(0.9, 0.95), (0.9, 0.95)]",
        "[2023-04-18 01:46:59,171] [INFO] [timer.py:199:stop] epoch=0/micro_step=10/global_step=10, RunningAvgSamplesPerSec=173.4455644119137, CurrSamplesPerSec=171.97903593624417, MemAllocated=3.96GB, MaxMemAllocated=22.95GB",
        "***** Evaluating perplexity, Epoch 2/16 *****",
        "ppl: 1.9718239307403564",
    ];

    [Fact]
    public void Deepspeed_chat_log_gives_perplexity_evaluations_loss_scales_after_overflow_step_lr_and_peak_memory()
    {
        var parser = new DeepSpeedParser();
        (LineKind Kind, MetricRecord? Record)[] parsed = [.. DeepSpeedChatLog.Select((l, i) => (parser.Parse(l, i + 1, out MetricRecord? r), r))];

        parsed.Select(p => p.Kind).Should().Equal(
            LineKind.Progress, LineKind.Record, LineKind.Progress, LineKind.Record, LineKind.Record, LineKind.Record, LineKind.Record, LineKind.Record, LineKind.Progress, LineKind.Record);
        parsed[1].Record!.Eval.Should().Equal(new Metric("ppl", 4998.29638671875));
        MetricDirections.Infer("ppl").Should().Be(MetricDirection.LowerIsBetter);
        parsed.Skip(3).Take(3).Select(p => p.Record!.LossScale).Should().Equal(65536, 32768, 16384);
        parsed[6].Record!.Step.Should().Be(10);
        parsed[6].Record!.LearningRate.Should().Be(9.649992967150629e-06);
        parsed[7].Record!.MemoryMb.Should().BeApproximately(22.95 * 1024, 1e-6);
        parsed[9].Record!.Step.Should().Be(10, "an evaluation belongs to the last step seen");
    }

    [Fact]
    public void Deepspeed_overflow_cascade_from_deepspeed_issue_5779_feeds_the_loss_scale_down_to_the_collapse_alert()
    {
        // deepspeedai/DeepSpeed#5779 (https://github.com/deepspeedai/DeepSpeed/issues/5779): the scale halves from 65536 to 512
        // (where the pasted log is cut); three more halvings in the same line pattern reach 64, 1/1024 of the peak.
        var lines = new List<string>
        {
            "[2024-07-17 19:44:06,829] [INFO] [loss_scaler.py:190:update_scale] [deepspeed] OVERFLOW! Rank 0 Skipping step. Attempted loss scale: 65536, but hysteresis is 2. Reducing hysteresis to 1",
            "[2024-07-17 19:44:06,945] [INFO] [loss_scaler.py:183:update_scale] [deepspeed] OVERFLOW! Rank 0 Skipping step. Attempted loss scale: 65536, reducing to 32768",
            "[2024-07-17 19:44:07,064] [INFO] [loss_scaler.py:183:update_scale] [deepspeed] OVERFLOW! Rank 0 Skipping step. Attempted loss scale: 32768, reducing to 16384",
            "[2024-07-17 19:44:07,184] [INFO] [loss_scaler.py:183:update_scale] [deepspeed] OVERFLOW! Rank 0 Skipping step. Attempted loss scale: 16384, reducing to 8192",
            "[2024-07-17 19:44:07,303] [INFO] [loss_scaler.py:183:update_scale] [deepspeed] OVERFLOW! Rank 0 Skipping step. Attempted loss scale: 8192, reducing to 4096",
            "[2024-07-17 19:44:07,540] [INFO] [loss_scaler.py:183:update_scale] [deepspeed] OVERFLOW! Rank 0 Skipping step. Attempted loss scale: 4096, reducing to 2048",
            "[2024-07-17 19:44:09,300] [INFO] [loss_scaler.py:183:update_scale] [deepspeed] OVERFLOW! Rank 0 Skipping step. Attempted loss scale: 2048, reducing to 1024",
            "[2024-07-17 19:44:19,048] [INFO] [loss_scaler.py:183:update_scale] [deepspeed] OVERFLOW! Rank 0 Skipping step. Attempted loss scale: 1024, reducing to 512",
        };
        for (int scale = 512; scale > 64; scale /= 2)
        {
            lines.Add(FormattableString.Invariant($"[2024-07-17 19:45:00,000] [INFO] [loss_scaler.py:183:update_scale] [deepspeed] OVERFLOW! Rank 0 Skipping step. Attempted loss scale: {scale}, reducing to {scale / 2}"));
        }

        var parser = new LineParser(LogFormat.Auto);
        var sink = new Support.ListSink();
        var engine = new WatchEngine(new WatchSettings(), TimeProvider.System, sink);
        foreach ((string text, int i) in lines.Select((l, i) => (l, i)))
        {
            if (parser.Parse(text, i + 1) is MetricRecord record)
            {
                engine.OnRecord(record);
            }
        }

        parser.Stats.Records.Should().Be(lines.Count);
        engine.AlertCounts.Should().ContainKey("loss_scale_collapse");
    }

    [Fact]
    public void Deepspeed_older_and_newer_overflow_spellings_and_the_reward_models_accuracy_are_read()
    {
        var parser = new DeepSpeedParser();

        // huggingface/transformers PR #10362 (DeepSpeed's ZeRO-2 "[deepscale]" spelling)
        ParseOne(parser, "2021-02-23 12:53:06,990] [INFO] [stage2.py:1357:step] [deepscale] OVERFLOW! Rank 0 Skipping step. Attempted loss scale: 4294967296, reducing to 2147483648.0").LossScale.Should().Be(2147483648.0);

        // microsoft/DeepSpeedExamples applications/DeepSpeed-Chat/training/step2_reward_model_finetuning/training_log_output/opt-350m_globalBatchSize-64.log
        ParseOne(parser, "[2023-04-18 03:36:00,746] [INFO] [logging.py:96:log_dist] [Rank 0] Overflow detected. Skipping step. Attempted loss scale: 32768.0, reducing to 16384.0").LossScale.Should().Be(16384.0);
        ParseOne(parser, "chosen_last_scores (higher is better) : 2.8115079402923584, acc (higher is better) : 0.4924241304397583").Eval.Should().Equal(new Metric("acc", 0.4924241304397583));

        // deepspeedai/DeepSpeed#1825 (the older timer line) and a DeepSpeed-Chat reward-model log (library file id 5045379410)
        ParseOne(parser, "[2022-03-11 02:06:58,985] [INFO] [timer.py:189:stop] 0/40, SamplesPerSec=83.48609168106144, MemAllocated=0.26GB, MaxMemAllocated=9.02GB").MemoryMb.Should().BeApproximately(9.02 * 1024, 1e-6);
        MetricRecord epoch = ParseOne(parser, "Epoch 1/1 with loss 0.6616564282085736");
        epoch.Loss.Should().Be(0.6616564282085736);
        epoch.Epoch.Should().Be(1);
    }

    [Fact]
    public void Fairseq_hydra_log_gives_progress_records_valid_metrics_loss_scale_overflow_and_checkpoints()
    {
        // A fairseq 0.12 NAT training log (2023-06-13, epochs 144-152; library file id 21068969228)
        var parser = new FairseqParser();
        MetricRecord train = ParseOne(parser, "2023-06-13 17:35:41 | INFO | train_inner | epoch 145:     21 / 282 loss=3.12, nll_loss=1.209, glat_accu=0.488, glat_context_p=0.473, word_ins=3.004, length=3.055, ppl=8.69, wps=89594.4, ups=1.49, wpb=60261, bsz=2165, num_updates=40600, lr=0.000156941, gnorm=0.48, clip=0, loss_scale=32768, train_wall=46, wall=0");
        MetricRecord overflow = ParseOne(parser, "2023-06-13 17:37:40 | INFO | fairseq.trainer | NOTE: overflow detected, setting loss scale to: 16384.0", 2);
        MetricRecord valid = ParseOne(parser, "2023-06-13 17:37:44 | INFO | valid | epoch 145 | valid on 'valid' subset | loss 12.144 | nll_loss 10.956 | word_ins 11.925 | length 4.376 | ppl 4525.39 | bleu 30.17 | wps 82945.9 | wpb 21176.3 | bsz 666.3 | num_updates 40860 | best_bleu 30.53", 3);
        MetricRecord checkpoint = ParseOne(parser, "2023-06-13 17:37:54 | INFO | fairseq.checkpoint_utils | saved checkpoint /opt/data/private/friends/tzc/checkpoint/checkpoints_syntax_nat/nat59/checkpoint145.pt (epoch 145 @ 40860 updates, score 30.17) (writing took 10.804873067885637 seconds)", 4);
        LineKind average = parser.Parse("2023-06-13 17:37:54 | INFO | train | epoch 145 | loss 3.141 | nll_loss 1.231 | glat_accu 0.508 | glat_context_p 0.473 | word_ins 3.023 | length 3.061 | ppl 8.82 | wps 114280 | ups 1.89 | wpb 60415.2 | bsz 2156.4 | num_updates 40860 | lr 0.000156441 | gnorm 0.484 | clip 0 | loss_scale 16384 | train_wall 128 | wall 0", 5, out _);

        train.Step.Should().Be(40600);
        train.Epoch.Should().Be(145);
        train.Loss.Should().Be(3.12);
        train.LearningRate.Should().Be(0.000156941);
        train.GradNorm.Should().Be(0.48);
        train.LossScale.Should().Be(32768);
        train.IterTimeSeconds.Should().BeApproximately(1 / 1.49, 1e-9);
        train.Losses.Should().Contain(new Metric("nll_loss", 1.209));
        overflow.LossScale.Should().Be(16384.0);
        valid.Kind.Should().Be(RecordKind.Eval);
        valid.Step.Should().Be(40860);
        valid.Eval.Select(m => m.Name).Should().Equal("valid_loss", "valid_nll_loss", "valid_ppl", "valid_bleu");
        checkpoint.CheckpointPath.Should().Be("/opt/data/private/friends/tzc/checkpoint/checkpoints_syntax_nat/nat59/checkpoint145.pt");
        checkpoint.Step.Should().Be(40860);
        average.Should().Be(LineKind.Progress, "the epoch average repeats what the progress lines said");
    }

    [Fact]
    public void Fairseq_pre_hydra_lines_from_fairseq_issues_940_506_and_301_are_read_including_the_oldest_progress_format()
    {
        // facebookresearch/fairseq#940 (https://github.com/facebookresearch/fairseq/issues/940)
        var parser = new FairseqParser();
        MetricRecord progress = ParseOne(parser, "| epoch 001:    450 / 1891 loss=11.521, nll_loss=10.881, ppl=1886.05, wps=52922, ups=0.5, wpb=104928, bsz=5325, num_updates=445, lr=8.90889e-05, gnorm=1.543, clip=0%, oom=0, loss_scale=2.000, wall=882, train_wall=756");
        MetricRecord valid = ParseOne(parser, "| epoch 001 | valid on 'valid' subset | valid_loss 8.11425 | valid_nll_loss 6.8834 | valid_ppl 118.06 | num_updates 600");

        progress.Step.Should().Be(445);
        progress.LossScale.Should().Be(2.0);
        valid.Step.Should().Be(600);
        valid.Eval.Should().Equal(new Metric("valid_loss", 8.11425), new Metric("valid_nll_loss", 6.8834), new Metric("valid_ppl", 118.06));

        // facebookresearch/fairseq#506 (https://github.com/facebookresearch/fairseq/issues/506): the pre-hydra overflow warning
        ParseOne(new FairseqParser(), "| WARNING: overflow detected, setting loss scale to: 1.0").LossScale.Should().Be(1.0);

        // facebookresearch/fairseq#301 (https://github.com/facebookresearch/fairseq/issues/301): no num_updates, a running mean in brackets
        var oldest = new FairseqParser();
        MetricRecord old = ParseOne(oldest, "| epoch 010  2000 / 8223 loss=1.27 (1.50), wps=962, wpb=908, bsz=32, lr=0.001, clip=100%, gnorm=2.1427");
        old.Step.Should().Be((9 * 8223) + 2000);
        old.Loss.Should().Be(1.27);
        oldest.Parse("| epoch 010 | valid on 'valid' subset  1000 / 1311 loss=1.60", 2, out _).Should().Be(LineKind.Progress);
        ParseOne(oldest, "| epoch 010 | valid on 'valid' subset | valid loss 1.94 | valid ppl 3.83").Eval.Should().Equal(new Metric("valid_loss", 1.94), new Metric("valid_ppl", 3.83));
    }

    [Fact]
    public void Fairseq_epoch_averages_are_the_training_series_when_no_progress_line_came_first()
    {
        // facebookresearch/fairseq#514 (https://github.com/facebookresearch/fairseq/issues/514)
        MetricRecord r = ParseOne(new FairseqParser(), "| epoch 008 | loss 6.326 | nll_loss 5.193 | ppl 36.58 | wps 12876 | ups 4.9 | wpb 2578 | bsz 108 | num_updates 21896 | lr 0.000213706 | gnorm 1.201 | clip 0% | oom 0 | wall 4634 | train_wall 4309");

        r.Kind.Should().Be(RecordKind.Train);
        r.Loss.Should().Be(6.326);
        r.Step.Should().Be(21896);
        r.GradNorm.Should().Be(1.201);
    }

    [Fact]
    public void Lightning_bars_give_loss_global_step_and_time_and_report_a_validation_only_when_its_values_change()
    {
        // Lightning-AI/pytorch-lightning#14094 (https://github.com/Lightning-AI/pytorch-lightning/issues/14094)
        var parser = new LightningParser();
        MetricRecord train = ParseOne(parser, "Epoch 0:  92%|█████████████████████████████████▉   | 932/1016 [00:33<00:03, 27.70it/s, loss=0.223, v_num=77, acc=0.875]");
        parser.Parse("Validation DataLoader 0:  46%|██████████████████████████                              | 73/157 [00:02<00:02, 37.48it/s]", 2, out _).Should().Be(LineKind.Progress);

        train.Step.Should().Be(932);
        train.Epoch.Should().Be(0);
        train.Loss.Should().Be(0.223);
        train.IterTimeSeconds.Should().BeApproximately(1 / 27.70, 1e-9);

        // A Lightning run's bars with train_loss/val_loss in the postfix (library file id 29251460904; the second line is cut by the
        // EarlyStopping message that was printed into it). The third line is constructed from the first: the next epoch's bar
        // repeating the validation value, as Lightning's postfix does on every refresh.
        var run = new LightningParser();
        MetricRecord before = ParseOne(run, "Epoch 0:   6%|█▍                         | 86/1563 [00:06<01:44, 14.19it/s, v_num=0, train_loss=1.800, train_acc=0.281]");
        MetricRecord eval = ParseOne(run, "Epoch 0: 100%|█| 1563/1563 [01:57<00:00, 13.25it/s, v_num=0, train_loss=1.590, train_acc=0.688, val_loss=1.420, val_accMetric val_accuracy improved. New best score: 0.494");
        MetricRecord next = ParseOne(run, "Epoch 1:   6%|█▍                         | 86/1563 [00:06<01:44, 14.19it/s, v_num=0, train_loss=1.400, train_acc=0.700, val_loss=1.420]");

        before.Loss.Should().Be(1.800);
        eval.Kind.Should().Be(RecordKind.Eval);
        eval.Eval.Should().Equal(new Metric("val_loss", 1.420));
        next.Kind.Should().Be(RecordKind.Train, "the bar repeats the last validation; it is not a new one");
        next.Step.Should().Be(1563 + 86);
    }

    [Fact]
    public void Lightning_bar_of_unknown_length_from_a_lightning_log_still_gives_the_loss()
    {
        // A Lightning run with an iterable dataset (library file id 13840264971)
        MetricRecord r = ParseOne(new LightningParser(), "Epoch 0: |          | 2/? [00:36<00:00,  0.06it/s, v_num=0, train_loss=13.90]");

        r.Loss.Should().Be(13.90);
        r.Step.Should().BeNull();
        r.IterTimeSeconds.Should().BeApproximately(1 / 0.06, 1e-9);
    }

    [Fact]
    public void Detectron2_file_logger_lines_from_querydet_issue_17_are_read_like_the_console_ones_even_with_format_detectron2()
    {
        // ChenhongyiYang/QueryDet-PyTorch#17 (https://github.com/ChenhongyiYang/QueryDet-PyTorch/issues/17), detectron2's log.txt format
        var parser = new LineParser(LogFormat.Detectron2);
        MetricRecord? r = parser.Parse("[04/14 09:05:02] d2.utils.events INFO:  eta: 0:11:54  iter: 119  total_loss: 9.214  loss_cls: 2.549  loss_box_reg: 1.002  loss_query: 5.513  time: 0.8153  data_time: 0.0220  lr: 0.001199  max_mem: 28515M", 1);

        r.Should().NotBeNull();
        r!.Step.Should().Be(119);
        r.Loss.Should().Be(9.214);
        r.FrameworkEtaSeconds.Should().Be((11 * 60) + 54);
        r.MemoryMb.Should().Be(28515);
        r.Losses.Should().HaveCount(3);
    }

    [Fact]
    public void Detectron2_file_logger_copypaste_results_become_one_evaluation()
    {
        // A detectron2 log.txt pasted in a public issue-style report (library file id 4574141833)
        var parser = new Detectron2Parser();
        parser.Parse("[04/12 17:28:11] d2.evaluation.testing INFO: copypaste: Task: bbox", 1, out _).Should().Be(LineKind.Progress);
        parser.Parse("[04/12 17:28:11] d2.evaluation.testing INFO: copypaste: AP,AP50,AP75,APs,APm,APl", 2, out _).Should().Be(LineKind.Progress);
        MetricRecord r = ParseOne(parser, "[04/12 17:28:11] d2.evaluation.testing INFO: copypaste: 6.2236,17.1123,2.6713,1.9080,8.4628,10.0626", 3);

        r.Eval.Should().HaveCount(6);
        r.Eval[0].Should().Be(new Metric("bbox/AP", 6.2236));
    }

    [Fact]
    public void Llamafactory_trainer_log_gives_step_of_total_lr_time_per_step_eta_and_ends_the_run_on_the_last_line()
    {
        // hiyouga/LlamaFactory#774 (https://github.com/hiyouga/LlamaFactory/issues/774)
        var parser = new LlamaFactoryParser();
        MetricRecord r = ParseOne(parser, "{\"current_steps\": 3200, \"total_steps\": 3235, \"loss\": 4.4671, \"eval_loss\": null, \"predict_loss\": null, \"reward\": null, \"learning_rate\": 1.4439610072863874e-08, \"epoch\": 0.99, \"percentage\": 98.92, \"elapsed_time\": \"5:13:22\", \"remaining_time\": \"0:03:25\"}");
        MetricRecord last = ParseOne(parser, "{\"current_steps\": 3235, \"total_steps\": 3235, \"loss\": null, \"eval_loss\": null, \"predict_loss\": null, \"reward\": null, \"learning_rate\": null, \"epoch\": 1.0, \"percentage\": 100.0, \"elapsed_time\": \"5:16:48\", \"remaining_time\": \"0:00:00\"}", 2);

        r.Step.Should().Be(3200);
        r.MaxStep.Should().Be(3235);
        r.Loss.Should().Be(4.4671);
        r.LearningRate.Should().Be(1.4439610072863874e-08);
        r.Epoch.Should().Be(0.99);
        r.IterTimeSeconds.Should().BeApproximately(((5 * 3600) + (13 * 60) + 22) / 3200.0, 1e-9);
        r.FrameworkEtaSeconds.Should().Be(205);
        last.Kind.Should().Be(RecordKind.Train);
        last.Loss.Should().BeNull();
        last.Step.Should().Be(last.MaxStep);
    }

    [Fact]
    public void Llamafactory_log_is_not_claimed_by_the_generic_jsonl_reader_in_auto_detection()
    {
        // hiyouga/LlamaFactory#4350 (https://github.com/hiyouga/LlamaFactory/issues/4350)
        MetricRecord? r = new LineParser(LogFormat.Auto).Parse("{\"current_steps\": 43, \"total_steps\": 82, \"loss\": 0.6608, \"eval_loss\": null, \"predict_loss\": null, \"reward\": null, \"accuracy\": null, \"learning_rate\": 6.971779275566593e-06, \"epoch\": 0.5220030349013657, \"percentage\": 52.44, \"elapsed_time\": \"0:27:55\", \"remaining_time\": \"0:25:19\"}", 1);

        r!.Format.Should().Be(LogFormat.LlamaFactory);
        r.Step.Should().Be(43);
    }

    private static MetricRecord ParseOne(ILogParser parser, string text, long line = 1)
    {
        parser.Parse(text, line, out MetricRecord? record).Should().Be(LineKind.Record, text);
        return record!;
    }
}
