using CclAgent.Diagnosis.Matchers;

namespace CclAgent.Diagnosis.Tests;

/// <summary>
/// The keyword gate and the metric plan work on a line's template (digit runs collapsed); on real training lines they
/// must find exactly what the keyword search and the metric regexes find on the line itself.
/// </summary>
public sealed class TemplateFastPathTests
{
    public static TheoryData<string> MetricLines => new()
    {
        // https://github.com/facebookresearch/fairseq/issues/1895 (train_inner, many comma-separated metrics).
        "2020-03-23 11:39:44 | INFO | train_inner | epoch 003:      5 / 356 loss=9.44, nll_loss=8.44, ppl=347.28, wps=30690.8, ups=0.07, wpb=427295, bsz=14390.4, num_updates=700, lr=0.000175, gnorm=156.036, loss_scale=0, train_wall=1281, wall=9877",

        // https://github.com/facebookresearch/fairseq/issues/512 (epoch summary, space-separated).
        "| epoch 027 | loss 6.343 | nll_loss 4.984 | ppl 31.65 | wps 164346 | ups 0.4 | wpb 364096 | bsz 11907 | num_updates 10198 | lr 0.000626286 | gnorm 0.390 | clip 0% | oom 0 | loss_scale 0.500 | wall 23080 | train_wall 21383",

        // https://github.com/ymcui/Chinese-LLaMA-Alpaca/issues/534 (Hugging Face Trainer dict).
        "{'loss': 2.0491, 'learning_rate': 0.0001961913563176343, 'epoch': 0.28}",

        // https://github.com/OpenDriveLab/Birds-eye-view-Perception/issues/13 (mmdet, Epoch [12][700/3953]).
        LogExcerpts.GradNormNan,

        // https://github.com/facebookresearch/detectron2/issues/838 (tensor(...) values).
        LogExcerpts.NanLossDict,

        // https://github.com/deepspeedai/DeepSpeed/issues/931 (no metric, a keyword of the loss-scale matcher).
        "[2023-04-28 06:51:30,648] [INFO] [loss_scaler.py:181:update_scale] [deepspeed] OVERFLOW! Rank 0 Skipping step. Attempted loss scale: 65536, reducing to 32768",

        // The bench's generated line (constructed): step, loss, grad norm, lr in e-notation.
        "[2024-05-01 10:00:07] step 1234567 | loss: 2.4993 | grad_norm: 1.06 | lr: 3.0e-04 | tokens/s: 51234",
    };

    [Theory]
    [MemberData(nameof(MetricLines))]
    public void The_plan_made_on_the_template_points_at_the_same_numbers_as_the_regexes_on_the_line(string line)
    {
        var gate = new KeywordGate([["nan"]], TrainingSeriesObserver.Keywords);
        gate.Check(line);

        SeriesPlan onLine = TrainingSeriesObserver.Plan(line);
        SeriesPlan onTemplate = TrainingSeriesObserver.Plan(gate.Template);

        onTemplate.Kinds.Should().Equal(onLine.Kinds);
        Numbers(line, onTemplate, gate).Should().Equal(Numbers(line, onLine, null));
        if (onLine.StepStart >= 0)
        {
            line[gate.LineRange(onTemplate.StepStart, onTemplate.StepEnd)].Should().Be(line[onLine.StepStart..onLine.StepEnd]);
        }
        else
        {
            onTemplate.StepStart.Should().Be(-1);
        }
    }

    [Theory]
    [MemberData(nameof(MetricLines))]
    public void The_gate_finds_the_same_keywords_as_a_search_of_the_line(string line)
    {
        string[][] keywords = [["nan", "loss scale"], ["OVERFLOW", "P2P"], ["exit", "Error"], ["137"]];
        var gate = new KeywordGate(keywords, TrainingSeriesObserver.Keywords);

        (ulong mask, bool series, _) = gate.Check(line);

        for (int i = 0; i < keywords.Length; i++)
        {
            bool expected = keywords[i].Any(k => line.Contains(k, StringComparison.OrdinalIgnoreCase));
            ((mask >> i) & 1).Should().Be(expected ? 1UL : 0UL, $"matcher {i} ({string.Join(", ", keywords[i])})");
        }

        series.Should().Be(TrainingSeriesObserver.Keywords.Any(k => line.Contains(k, StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public void Two_lines_of_one_template_share_a_cache_entry_but_keep_their_own_numbers()
    {
        var gate = new KeywordGate([["nan"]], TrainingSeriesObserver.Keywords);
        (_, _, TemplateInfo? first) = gate.Check("[2024-05-01 10:00:07] step 7 | loss: 2.4993 | lr: 3.0e-04");
        SeriesPlan plan = TrainingSeriesObserver.Plan(gate.Template);
        const string second = "[2024-05-01 10:00:08] step 123456 | loss: 12.5 | lr: 1.5e-05";

        (_, _, TemplateInfo? again) = gate.Check(second);

        again.Should().BeSameAs(first);
        second[gate.LineRange(plan.StepStart, plan.StepEnd)].Should().Be("123456");
        second[gate.LineRange(plan.ValueStarts[0], plan.ValueEnds[0])].Should().Be("12.5");
        second[gate.LineRange(plan.ValueStarts[1], plan.ValueEnds[1])].Should().Be("1.5e-05");
    }

    private static List<string> Numbers(string line, SeriesPlan plan, KeywordGate? gate) =>
        Enumerable.Range(0, plan.Kinds.Length)
            .Select(i => gate is null ? line[plan.ValueStarts[i]..plan.ValueEnds[i]] : line[gate.LineRange(plan.ValueStarts[i], plan.ValueEnds[i])])
            .ToList();
}
