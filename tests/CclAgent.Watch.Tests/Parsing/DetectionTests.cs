using System.Globalization;
using CclAgent.Watch.Parsing;
using CclAgent.Watch.Records;

namespace CclAgent.Watch.Tests.Parsing;

/// <summary>Auto-detection across the formats, the key-value fallback's guard against source code, and number parsing.</summary>
public sealed class DetectionTests
{
    [Theory]
    [InlineData("2023-03-22 09:30:39 iter 2920: loss 3.9883, time 1099.34ms, mfu 15.34%", LogFormat.NanoGpt)]
    [InlineData("step:125/5100 train_loss:5.1188 train_time:20289ms step_avg:176.42ms", LogFormat.NanoGpt)]
    [InlineData("step   61/74 | loss 3.208939 (+nanz)| norm 1.4800 (+nanz)| lr 3.00e-04 | 44.57 ms | -100.0% bf16 MFU | 91886 tok/s", LogFormat.Llmc)]
    [InlineData("s:0 trl:11.0091 lr:0.000001 norm:15.37", LogFormat.Llmc)]
    [InlineData(" iteration      122/  250000 | consumed samples:       124928 | elapsed time per iteration (ms): 86545.2 | learning rate: 9.150E-06 | global batch size:  1024 | lm loss: 2.504220E+00 | loss scale: 1.0 | grad norm: 0.231 | number of skipped iterations:   0 | number of nan iterations:   0 |", LogFormat.Megatron)]
    [InlineData("[2023-04-18 01:46:59,142] [INFO] [logging.py:96:log_dist] [Rank 0] step=10, skipped=6, lr=[9.649992967150629e-06, 9.649992967150629e-06], mom=[(0.9, 0.95), (0.9, 0.95)]", LogFormat.DeepSpeed)]
    [InlineData("2023-06-13 17:35:41 | INFO | train_inner | epoch 145:     21 / 282 loss=3.12, nll_loss=1.209, ppl=8.69, wps=89594.4, ups=1.49, wpb=60261, bsz=2165, num_updates=40600, lr=0.000156941, gnorm=0.48, clip=0, loss_scale=32768, train_wall=46, wall=0", LogFormat.Fairseq)]
    [InlineData("[rank0]:[titan] 2026-05-18 16:04:46,338 - root - INFO - step: 14  loss:  3.24405  grad_norm:  0.8319  memory:  9.46GiB(64.99%)  tps: 7,282  tflops: 0.52  mfu: 0.17%", LogFormat.Torchtitan)]
    [InlineData("Epoch 0:  92%|█████████████████████████████████▉   | 932/1016 [00:33<00:03, 27.70it/s, loss=0.223, v_num=77, acc=0.875]", LogFormat.Lightning)]
    [InlineData("[04/14 09:05:02] d2.utils.events INFO:  eta: 0:11:54  iter: 119  total_loss: 9.214  loss_cls: 2.549  loss_box_reg: 1.002  loss_query: 5.513  time: 0.8153  data_time: 0.0220  lr: 0.001199  max_mem: 28515M", LogFormat.Detectron2)]
    public void Auto_detection_gives_each_real_line_to_its_own_format_and_not_to_the_key_value_fallback(string line, LogFormat expected)
    {
        // Sources: see LanguageModelFormatTests and FrameworkFormatTests, where each of these lines is checked field by field.
        MetricRecord? r = new LineParser(LogFormat.Auto).Parse(line, 1);

        r.Should().NotBeNull();
        r!.Format.Should().Be(expected);
    }

    [Fact]
    public void Each_new_format_has_a_format_option_name_that_round_trips()
    {
        string[] added = ["nanogpt", "llmc", "megatron", "deepspeed", "fairseq", "torchtitan", "lightning", "llamafactory"];

        LogFormats.All.Should().Contain(added);
        added.Select(n => LogFormats.Name(LogFormats.Parse(n))).Should().Equal(added);
    }

    [Theory]
    [InlineData("    loss = criterion(out, y)")]
    [InlineData("        lr=args.lr,")]
    [InlineData("    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4, weight_decay=0.1)")]
    [InlineData("optim_wrapper = dict(type='OptimWrapper', optimizer=dict(type='SGD', lr=0.02, momentum=0.9, weight_decay=0.0001))")]
    [InlineData("learning_rate=5e-05,")]
    [InlineData("lr: 0.001")]
    public void Key_value_fallback_does_not_read_python_source_or_config_dumps_as_metrics(string line)
    {
        new KeyValueParser().Parse(line, 1, out MetricRecord? record).Should().Be(LineKind.Unknown);
        record.Should().BeNull();
    }

    [Fact]
    public void Key_value_fallback_still_reads_metric_lines_with_two_numeric_pairs()
    {
        new KeyValueParser().Parse("step=120 loss=2.31 lr=3e-4", 1, out MetricRecord? record).Should().Be(LineKind.Record);
        record!.Loss.Should().Be(2.31);
    }

    [Fact]
    public void A_stray_key_value_line_does_not_make_the_fallback_the_preferred_parser_for_the_following_lines()
    {
        // Without the rule, the kv match of line 1 would be tried first for line 2 and read torchtitan's pairs generically.
        var parser = new LineParser(LogFormat.Auto);
        parser.Parse("step=120 loss=2.31 lr=3e-4", 1)!.Format.Should().Be(LogFormat.KeyValue);

        MetricRecord? next = parser.Parse("[rank0]:[titan] 2026-05-18 16:04:47,456 - root - INFO - step: 15  loss:  3.10680  grad_norm:  0.8587  memory:  9.46GiB(64.99%)  tps: 7,334  tflops: 0.53  mfu: 0.17%", 2);

        next!.Format.Should().Be(LogFormat.Torchtitan);
        next.MemoryMb.Should().BeApproximately(9.46 * 1024, 1e-6);
    }

    [Fact]
    public void Detected_format_is_the_one_with_the_most_loss_lines_not_the_one_with_the_most_lines()
    {
        // A Trainer run under DeepSpeed prints DeepSpeed's step lines between the Trainer's dicts (huggingface/transformers#14531).
        var parser = new LineParser(LogFormat.Auto);
        parser.Parse("[2021-11-26 03:07:16,494] [INFO] [logging.py:69:log_dist] [Rank 0] step=2000, skipped=1995, lr=[0.001, 0.001], mom=[0.0, 0.0]", 1);
        parser.Parse("{'loss': 0.0, 'learning_rate': 0.001, 'epoch': 0.08}", 2);
        parser.Parse("[2021-11-26 03:07:16,494] [INFO] [logging.py:69:log_dist] [Rank 0] step=2000, skipped=1995, lr=[0.001, 0.001], mom=[0.0, 0.0]", 3);

        parser.Stats.DetectedFormat.Should().Be(LogFormat.HuggingFace);
    }

    [Fact]
    public void Fast_decimal_parsing_gives_exactly_what_double_parse_gives()
    {
        var random = new Random(15);
        var samples = new List<string> { "0", "-0.0", "1.", ".5", "0.000125", "1.000e-02", "2.1648e-06", "9182", "7.514787E+00", "1.634128E+03", "123456789012345", "1e22", "1e-22", "4.9406564584124654E-324" };
        for (int i = 0; i < 20000; i++)
        {
            double value = (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-12, 12));
            samples.Add(value.ToString(random.Next(4) switch { 0 => "R", 1 => "0.####", 2 => "E3", _ => "0.000000" }, CultureInfo.InvariantCulture));
        }

        foreach (string text in samples)
        {
            Numbers.TryParse(text, out double parsed).Should().BeTrue(text);
            BitConverter.DoubleToInt64Bits(parsed).Should().Be(BitConverter.DoubleToInt64Bits(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture)), text);
        }
    }
}
