using CclAgent.Diagnosis.Classification;
using CclAgent.Diagnosis.Reports;

namespace CclAgent.Diagnosis.Tests;

/// <summary>fp16 loss-scale collapse in fairseq and DeepSpeed spellings, against the overflows that are normal.</summary>
public sealed class LossScaleSpellingTests
{
    [Fact]
    public void Fairseq_halving_the_scale_below_one_is_a_collapse()
    {
        // https://github.com/facebookresearch/fairseq/issues/512 (training then fails): the epoch summary's
        // "| loss_scale 0.500 |" and twelve halvings.
        const string log = """
            | epoch 027 | loss 6.343 | nll_loss 4.984 | ppl 31.65 | wps 164346 | ups 0.4 | wpb 364096 | bsz 11907 | num_updates 10198 | lr 0.000626286 | gnorm 0.390 | clip 0% | oom 0 | loss_scale 0.500 | wall 23080 | train_wall 21383
            | epoch 027 | valid on 'valid' subset | valid_loss 8.30118 | valid_nll_loss 7.15366 | valid_ppl 142.39 | num_updates 10198 | best 4.46376
            | WARNING: overflow detected, setting loss scale to: 0.25
            | WARNING: overflow detected, setting loss scale to: 0.125
            | WARNING: overflow detected, setting loss scale to: 0.0625
            | WARNING: overflow detected, setting loss scale to: 0.03125
            | WARNING: overflow detected, setting loss scale to: 0.015625
            | WARNING: overflow detected, setting loss scale to: 0.0078125
            | WARNING: overflow detected, setting loss scale to: 0.00390625
            | WARNING: overflow detected, setting loss scale to: 0.001953125
            | WARNING: overflow detected, setting loss scale to: 0.0009765625
            | WARNING: overflow detected, setting loss scale to: 0.00048828125
            | WARNING: overflow detected, setting loss scale to: 0.000244140625
            | WARNING: overflow detected, setting loss scale to: 0.0001220703125
            """;

        DiagnosisReport report = Given.Diagnose(log);

        report.Verdict.Category.Should().Be(FailureCategory.Fp16Overflow);
        report.Evidence.Single(e => e.Id == report.Verdict.EvidenceIds[0]).Signal.Should().Be("loss_scale_collapse");
        report.Evidence.Should().NotContain(e => e.Signal == "fp16_overflow_benign");
    }

    [Fact]
    public void Fairseq_note_lines_and_the_minimum_reached_exception_are_fp16_overflow()
    {
        // https://github.com/facebookresearch/fairseq/issues/1895: the train_inner line, the NOTE lines, then the
        // exception its title quotes.
        const string log = """
            2020-03-23 11:39:44 | INFO | train_inner | epoch 003:      5 / 356 loss=9.44, nll_loss=8.44, ppl=347.28, wps=30690.8, ups=0.07, wpb=427295, bsz=14390.4, num_updates=700, lr=0.000175, gnorm=156.036, loss_scale=0, train_wall=1281, wall=9877
            2020-03-23 11:41:18 | INFO | fairseq.trainer | NOTE: overflow detected, setting loss scale to: 0.00048828125
            2020-03-23 11:48:04 | INFO | fairseq.trainer | NOTE: overflow detected, setting loss scale to: 0.000244140625
            FloatingPointError: Minimum loss scale reached (0.0001)
            """;

        DiagnosisReport report = Given.Diagnose(log);

        report.Verdict.Category.Should().Be(FailureCategory.Fp16Overflow);
        report.Evidence.Should().Contain(e => e.Signal == "loss_scale_at_minimum");
        report.Evidence.Should().Contain(e => e.Signal == "loss_scale_collapse");
    }

    [Fact]
    public void Deepspeed_reducing_one_to_one_is_a_collapse_not_a_benign_overflow()
    {
        // https://github.com/huggingface/transformers/issues/14531: ZeRO-2 reports "1, reducing to 1", which the
        // maintainer reads as the scaler having tried every scale from 2**16 down (DeepSpeed#1593); a tqdm bar
        // precedes the second line.
        const string log = """
            [2021-11-27 00:36:54,800] [INFO] [stage2.py:1628:step] [deepscale] OVERFLOW! Rank 0 Skipping step. Attempted loss scale: 1, reducing to 1
              0%|▋                                                                                                                                                                 | 98/24128 [00:40<2:40:10,  2.50it/s][2021-11-27 00:36:55,194] [INFO] [stage2.py:1628:step] [deepscale] OVERFLOW! Rank 0 Skipping step. Attempted loss scale: 1, reducing to 1
            """;

        DiagnosisReport report = Given.Diagnose(log);

        report.Verdict.Category.Should().Be(FailureCategory.Fp16Overflow);
        report.Evidence.Single(e => e.Id == report.Verdict.EvidenceIds[0]).Signal.Should().Be("loss_scale_collapse");
    }

    [Fact]
    public void Deepspeed_hysteresis_and_a_few_halvings_at_the_start_are_benign()
    {
        // https://github.com/deepspeedai/DeepSpeed/issues/931: the scaler searching its scale at the start of training,
        // including the hysteresis line, which is an overflow too.
        const string log = """
            [2023-04-28 06:51:29,903] [INFO] [loss_scaler.py:188:update_scale] [deepspeed] OVERFLOW! Rank 0 Skipping step. Attempted loss scale: 65536, but hysteresis is 2. Reducing hysteresis to 1
            [2023-04-28 06:51:30,648] [INFO] [loss_scaler.py:181:update_scale] [deepspeed] OVERFLOW! Rank 0 Skipping step. Attempted loss scale: 65536, reducing to 32768
            [2023-04-28 06:51:31,392] [INFO] [loss_scaler.py:181:update_scale] [deepspeed] OVERFLOW! Rank 0 Skipping step. Attempted loss scale: 32768, reducing to 16384
            [2023-04-28 06:51:32,150] [INFO] [loss_scaler.py:181:update_scale] [deepspeed] OVERFLOW! Rank 0 Skipping step. Attempted loss scale: 16384, reducing to 8192
            """;

        DiagnosisReport report = Given.Diagnose(log);

        report.Verdict.Category.Should().Be(FailureCategory.Unknown);
        report.Evidence.Single(e => e.Signal == "fp16_overflow_benign").Facts["overflows"].Should().Be("4");
    }

    [Fact]
    public void A_fairseq_overflow_that_keeps_the_scale_high_is_benign()
    {
        // https://github.com/facebookresearch/fairseq/issues/2404: "overflow detected, setting loss scale to: 1024.0",
        // and training goes on.
        const string log = """
            2020-08-01 12:39:16 | INFO | fairseq.trainer | NOTE: overflow detected, setting loss scale to: 1024.0
            2020-08-01 12:39:39 | INFO | train_inner | epoch 001:   3615 / 6547 loss=0.439, nll_loss=0.001, accuracy=87.9, wps=82565, ups=2.66, wpb=31075.5, bsz=64, num_updates=3600, lr=9e-06, gnorm=3.952, loss_scale=1399, train_wall=38, wall=1353
            """;

        DiagnosisReport report = Given.Diagnose(log);

        report.Verdict.Category.Should().Be(FailureCategory.Unknown);
        report.Evidence.Should().ContainSingle(e => e.Signal == "fp16_overflow_benign");
    }
}
