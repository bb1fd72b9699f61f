using CclAgent.Watch.Parsing;
using CclAgent.Watch.Records;

namespace CclAgent.Watch.Tests.Parsing;

/// <summary>
/// nanoGPT, modded-nanogpt, llm.c, Megatron-LM and torchtitan on real lines; each test's comment names where the
/// lines were published. Lines quoted in issues with a Markdown "> " in front are used without it.
/// </summary>
public sealed class LanguageModelFormatTests
{
    [Fact]
    public void Nanogpt_iteration_evaluation_and_checkpoint_lines_from_nanogpt_issue_215_become_train_eval_and_checkpoint_records()
    {
        // karpathy/nanoGPT#215 (https://github.com/karpathy/nanoGPT/issues/215), a run that went NaN after iter 3000
        var parser = new NanoGptParser();
        MetricRecord train = ParseOne(parser, "2023-03-22 09:30:39 iter 2920: loss 3.9883, time 1099.34ms, mfu 15.34%");
        MetricRecord eval = ParseOne(parser, "2023-03-22 09:32:32 step 3000: train loss 4.0390, val loss 4.0427", 2);
        MetricRecord checkpoint = ParseOne(parser, "saving checkpoint to out", 3);
        MetricRecord nan = ParseOne(parser, "2023-03-22 09:32:52 iter 3010: loss nan, time 1019.95ms, mfu 14.12%", 4);

        train.Kind.Should().Be(RecordKind.Train);
        train.Step.Should().Be(2920);
        train.Loss.Should().Be(3.9883);
        train.IterTimeSeconds.Should().BeApproximately(1.09934, 1e-9);
        eval.Kind.Should().Be(RecordKind.Eval);
        eval.Step.Should().Be(3000);
        eval.Eval.Should().Equal(new Metric("val_loss", 4.0427));
        checkpoint.Kind.Should().Be(RecordKind.Checkpoint);
        checkpoint.CheckpointPath.Should().Be("out");
        checkpoint.Step.Should().Be(3000);
        double.IsNaN(nan.Loss!.Value).Should().BeTrue();
    }

    [Fact]
    public void Nanogpt_first_iteration_with_negative_mfu_from_issue_178_still_gives_loss_and_time()
    {
        // karpathy/nanoGPT#178 (https://github.com/karpathy/nanoGPT/issues/178)
        MetricRecord r = ParseOne(new NanoGptParser(), "iter 0: loss 4.2648, time 9371.81ms, mfu -100.00%");

        r.Step.Should().Be(0);
        r.Loss.Should().Be(4.2648);
        r.IterTimeSeconds.Should().BeApproximately(9.37181, 1e-9);
    }

    [Fact]
    public void Modded_nanogpt_speedrun_lines_give_step_of_max_step_loss_step_time_and_validation_loss()
    {
        // KellerJordan/modded-nanogpt records/track_1_short/2024-10-14_ModernArch/dabaaddd-237c-4ec9-939d-6608a9ed5e27.txt
        var parser = new NanoGptParser();
        MetricRecord first = ParseOne(parser, "step:1/5100 train_loss:16.0026 train_time:42703ms step_avg:nanms");
        MetricRecord train = ParseOne(parser, "step:125/5100 train_loss:5.1188 train_time:20289ms step_avg:176.42ms", 2);
        MetricRecord eval = ParseOne(parser, "step:125/5100 val_loss:4.9493 train_time:20289ms step_avg:176.43ms", 3);
        MetricRecord last = ParseOne(parser, "step:5100/5100 train_loss:3.2686 train_time:910545ms step_avg:178.89ms", 4);

        first.IterTimeSeconds.Should().BeNull("step_avg is nan before the timed steps begin");
        train.Step.Should().Be(125);
        train.MaxStep.Should().Be(5100);
        train.Loss.Should().Be(5.1188);
        train.IterTimeSeconds.Should().BeApproximately(0.17642, 1e-9);
        eval.Kind.Should().Be(RecordKind.Eval);
        eval.Eval.Should().Equal(new Metric("val_loss", 4.9493));
        last.Step.Should().Be(last.MaxStep);
    }

    [Fact]
    public void Llmc_cuda_step_line_from_llmc_issue_796_gives_loss_norm_lr_max_step_and_milliseconds()
    {
        // karpathy/llm.c#796 (https://github.com/karpathy/llm.c/issues/796)
        MetricRecord r = ParseOne(new LlmcParser(), "step   61/74 | loss 3.208939 (+nanz)| norm 1.4800 (+nanz)| lr 3.00e-04 | 44.57 ms | -100.0% bf16 MFU | 91886 tok/s");

        r.Step.Should().Be(61);
        r.MaxStep.Should().Be(74);
        r.Loss.Should().Be(3.208939);
        r.GradNorm.Should().Be(1.48);
        r.LearningRate.Should().Be(3e-4);
        r.IterTimeSeconds.Should().BeApproximately(0.04457, 1e-9);
    }

    [Fact]
    public void Llmc_cpu_trainer_output_from_the_llmc_readme_gives_train_records_and_val_loss_evaluations()
    {
        // karpathy/llm.c README.md (the train_gpt2 CPU output it shows)
        var parser = new LlmcParser();
        MetricRecord val = ParseOne(parser, "val loss 5.252026");
        MetricRecord train = ParseOne(parser, "step 0: train loss 5.356189 (took 1452.121000 ms)", 2);

        val.Eval.Should().Equal(new Metric("val_loss", 5.252026));
        train.Step.Should().Be(0);
        train.Loss.Should().Be(5.356189);
        train.IterTimeSeconds.Should().BeApproximately(1.452121, 1e-9);
    }

    [Fact]
    public void Llmc_log_file_lines_give_training_loss_lr_norm_and_validation_loss()
    {
        // KellerJordan/modded-nanogpt records/track_1_short/2024-10-13_llmc/main.log (llm.c's -o log file)
        var parser = new LlmcParser();
        MetricRecord eval = ParseOne(parser, "s:0 tel:11.0092");
        MetricRecord train = ParseOne(parser, "s:0 trl:11.0091 lr:0.000001 norm:15.37", 2);
        MetricRecord later = ParseOne(parser, "s:250 tel:6.1710", 3);

        eval.Kind.Should().Be(RecordKind.Eval);
        eval.Eval.Should().Equal(new Metric("val_loss", 11.0092));
        train.Loss.Should().Be(11.0091);
        train.LearningRate.Should().Be(0.000001);
        train.GradNorm.Should().Be(15.37);
        later.Step.Should().Be(250);
    }

    [Fact]
    public void Megatron_iteration_line_from_megatron_llm_issue_11_gives_loss_lr_grad_norm_loss_scale_and_seconds_per_iteration()
    {
        // epfLLM/Megatron-LLM#11 (https://github.com/epfLLM/Megatron-LLM/issues/11)
        MetricRecord r = ParseOne(new MegatronParser(), " iteration      122/  250000 | consumed samples:       124928 | elapsed time per iteration (ms): 86545.2 | learning rate: 9.150E-06 | global batch size:  1024 | lm loss: 2.504220E+00 | loss scale: 1.0 | grad norm: 0.231 | number of skipped iterations:   0 | number of nan iterations:   0 |");

        r.Step.Should().Be(122);
        r.MaxStep.Should().Be(250000);
        r.IterTimeSeconds.Should().BeApproximately(86.5452, 1e-9);
        r.LearningRate.Should().Be(9.150E-06);
        r.Loss.Should().Be(2.504220);
        r.LossScale.Should().Be(1.0);
        r.GradNorm.Should().Be(0.231);
    }

    [Fact]
    public void Megatron_core_line_with_timestamp_and_a_second_loss_from_megatron_issue_1570_keeps_the_second_loss_as_a_sub_loss()
    {
        // NVIDIA/Megatron-LM#1570 (https://github.com/NVIDIA/Megatron-LM/issues/1570)
        MetricRecord r = ParseOne(new MegatronParser(), " [2025-05-09 06:11:17] iteration        1/      10 | consumed samples:           32 | elapsed time per iteration (ms): 21847.9 | throughput per GPU (TFLOP/s/GPU): 4.5 | learning rate: 3.333333E-05 | global batch size:    32 | lm loss: 1.186396E+01 | load_balancing_loss: 1.000977E+00 | loss scale: 1.0 | grad norm: 6.321 | num zeros: 256053424.0 | number of skipped iterations:   0 | number of nan iterations:   0 |");

        r.Loss.Should().Be(11.86396);
        r.Losses.Should().Equal(new Metric("load_balancing_loss", 1.000977));
    }

    [Fact]
    public void Megatron_deepspeed_line_without_lm_loss_and_with_nan_grad_norm_from_issue_396_is_a_train_record_without_loss()
    {
        // bigscience-workshop/Megatron-DeepSpeed#396 (https://github.com/bigscience-workshop/Megatron-DeepSpeed/issues/396)
        MetricRecord r = ParseOne(new MegatronParser(), " iteration     5426/  250000 | consumed samples:        43408 | consumed tokens:     88899584 | elapsed time per iteration (ms): 4247.9 | learning rate: 2.999E-04 | global batch size:     8 | loss scale: 1.0 | grad norm: nan | actual seqlen:  2048 | number of skipped iterations:   0 | number of nan iterations:   0 | samples per second: 1.883 | TFLOPs: 78.36 |");

        r.Loss.Should().BeNull();
        double.IsNaN(r.GradNorm!.Value).Should().BeTrue();
        r.LearningRate.Should().Be(2.999E-04);
    }

    [Fact]
    public void Megatron_validation_and_checkpoint_lines_become_lower_is_better_evaluations_and_a_checkpoint_of_that_iteration()
    {
        // A public Megatron-LM GPT-2 walkthrough (Chinese notes titled "Megatron-LM") pasting its training log; the
        // repository is not recorded in the search index (library file id 9506752970).
        var parser = new MegatronParser();
        ParseOne(parser, " [2025-04-13 23:42:31] iteration      100/    1000 | consumed samples:         1600 | elapsed time per iteration (ms): 869.1 | learning rate: 9.892558E-05 | global batch size:    16 | lm loss: 7.514787E+00 | loss scale: 4096.0 | grad norm: 1.082 | num zeros: 298.0 | number of skipped iterations:   0 | number of nan iterations:   0 |");
        MetricRecord eval = ParseOne(parser, " validation loss at iteration 100 | lm loss value: 7.398865E+00 | lm loss PPL: 1.634128E+03 | ", 2);
        MetricRecord checkpoint = ParseOne(parser, "saving checkpoint at iteration     100 to /root/workspace/checkpoint/GPT2_pretrain_WS1 in torch_dist format", 3);

        eval.Step.Should().Be(100);
        eval.Eval.Should().Equal(new Metric("val_lm_loss", 7.398865), new Metric("val_lm_loss_PPL", 1634.128));
        eval.Eval.Select(m => MetricDirections.Infer(m.Name)).Should().AllBeEquivalentTo(MetricDirection.LowerIsBetter);
        checkpoint.Kind.Should().Be(RecordKind.Checkpoint);
        checkpoint.Step.Should().Be(100);
        checkpoint.CheckpointPath.Should().Be("/root/workspace/checkpoint/GPT2_pretrain_WS1");
        new MegatronParser().Parse("  successfully saved checkpoint from iteration     100 to /root/workspace/checkpoint/GPT2_pretrain_WS1 [ t 1/1, p 1/1 ]", 4, out _).Should().Be(LineKind.Unknown);
    }

    [Fact]
    public void Torchtitan_metrics_line_from_torchtitan_pr_3393_gives_step_loss_grad_norm_and_memory_in_mb()
    {
        // pytorch/torchtitan PR #3393 (https://github.com/pytorch/torchtitan/pull/3393)
        MetricRecord r = ParseOne(new TorchtitanParser(), "[rank0]:[titan] 2026-05-18 16:04:46,338 - root - INFO - step: 14  loss:  3.24405  grad_norm:  0.8319  memory:  9.46GiB(64.99%)  tps: 7,282  tflops: 0.52  mfu: 0.17%");

        r.Step.Should().Be(14);
        r.Loss.Should().Be(3.24405);
        r.GradNorm.Should().Be(0.8319);
        r.MemoryMb.Should().BeApproximately(9.46 * 1024, 1e-6);
    }

    [Fact]
    public void Torchtitan_coloured_terminal_line_is_read_once_the_line_parser_strips_the_ansi_escapes()
    {
        // pytorch/torchtitan PR #1287's line, with the colours torchtitan's metrics logger puts before each label
        // (f"{color.red}step: …  {color.green}loss: …", ANSI SGR codes) as they appear on a terminal.
        const string plain = "[rank0]:[titan] 2025-06-16 22:30:50,322 - root - INFO - step: 200  loss:  6.1384  memory: 49.66GiB(52.28%)  tps: 5,856  tflops: 339.16  mfu: 34.29%";
        string coloured = plain.Replace("step:", "\u001b[31mstep:", StringComparison.Ordinal).Replace("loss:", "\u001b[32mloss:", StringComparison.Ordinal)
            .Replace("memory:", "\u001b[33mmemory:", StringComparison.Ordinal).Replace("tps:", "\u001b[34mtps:", StringComparison.Ordinal) + "\u001b[39m";

        MetricRecord? r = new LineParser(LogFormat.Auto).Parse(coloured, 1);

        r.Should().NotBeNull();
        r!.Format.Should().Be(LogFormat.Torchtitan);
        r.Step.Should().Be(200);
        r.Loss.Should().Be(6.1384);
        new TorchtitanParser().Parse(coloured, 1, out _).Should().Be(LineKind.Unknown, "unstripped, the escape codes run into the labels (\"mloss\")");
    }

    private static MetricRecord ParseOne(ILogParser parser, string text, long line = 1)
    {
        parser.Parse(text, line, out MetricRecord? record).Should().Be(LineKind.Record, text);
        record!.Line.Should().Be(line);
        return record;
    }
}
