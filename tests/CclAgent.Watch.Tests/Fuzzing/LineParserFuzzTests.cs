using System.Text.RegularExpressions;
using CclAgent.Testing;
using CclAgent.Testing.Fuzzing;
using CclAgent.Watch.Parsing;
using CclAgent.Watch.Records;

namespace CclAgent.Watch.Tests.Fuzzing;

/// <summary>
/// Property test of the watch parsers over mutants of the real log lines quoted in Parsing/ParserTests.cs: no line
/// throws, and every number a record carries is finite unless the line itself spells nan or inf (a diverged loss
/// printed as <c>nan</c> must stay NaN for the NaN alert).
/// </summary>
public sealed partial class LineParserFuzzTests
{
    private const int MutantsPerSeed = 200;
    private const int Seed = 424_242;

    private static readonly LogFormat[] Formats = Enum.GetValues<LogFormat>();

    [Fact]
    public void Real_log_lines_are_found_in_the_parser_tests_as_seeds()
    {
        RealLines().Should().HaveCountGreaterThan(15);
    }

    [Fact]
    public void Mutants_of_real_lines_never_throw_and_give_finite_numbers_unless_the_line_says_nan_or_inf()
    {
        IReadOnlyList<string> seeds = RealLines();
        LineParser[] parsers = [.. Formats.Select(f => new LineParser(f))];
        var mutator = new Mutator(Seed);
        long line = 0;
        for (int s = 0; s < seeds.Count; s++)
        {
            int index = 0;
            foreach (string mutant in mutator.Mutants(seeds[s], MutantsPerSeed))
            {
                line++;
                foreach (LineParser parser in parsers)
                {
                    MetricRecord? record = parser.Parse(mutant, line);
                    CheckFinite(record, mutant, $"mutant {index} of seed {s} ({seeds[s]})");
                }

                index++;
            }
        }
    }

    [Fact]
    public void A_mutated_whole_log_fed_line_by_line_never_throws_and_gives_finite_numbers()
    {
        string log = string.Join('\n', RealLines());
        var mutator = new Mutator(Seed + 1);
        for (int m = 0; m < 100; m++)
        {
            string mutant = mutator.Mutate(log);
            var parser = new LineParser(LogFormat.Auto);
            string[] lines = mutant.Split('\n');
            for (int i = 0; i < lines.Length; i++)
            {
                CheckFinite(parser.Parse(lines[i], i + 1), lines[i], $"line {i + 1} of whole-log mutant {m}");
            }
        }
    }

    [Fact]
    public void An_explicit_nan_loss_still_parses_as_nan()
    {
        MetricRecord? record = new LineParser(LogFormat.Auto).Parse("{\"lr\": 0.001, \"loss\": NaN, \"step\": 20}", 1);

        record.Should().NotBeNull();
        double.IsNaN(record!.Loss!.Value).Should().BeTrue();
    }

    [Theory]
    [InlineData("{'loss': 3.5534, 'grad_norm': 1e+999, 'epoch': 0.01}")]
    [InlineData("{'loss': 99999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999, 'grad_norm': 1.5}")]
    public void A_number_too_large_for_a_double_found_by_the_fuzzer_is_not_read_as_infinity(string line)
    {
        MetricRecord? record = new LineParser(LogFormat.HuggingFace).Parse(line, 1);

        record.Should().NotBeNull();
        new double?[] { record!.Loss, record.GradNorm }.Where(v => v is not null).Should().OnlyContain(v => double.IsFinite(v!.Value));
    }

    [Fact]
    public void A_progress_bar_with_a_step_count_too_long_for_a_long_found_by_the_fuzzer_does_not_throw()
    {
        var parser = new LineParser(LogFormat.HuggingFace);

        Action parse = () => parser.Parse("  1%|          | 99999999999999999999/1752 [00:29<1:22:01,  2.83s/it]", 1);

        parse.Should().NotThrow();
    }

    [Fact]
    public void An_explicit_inf_grad_norm_still_parses_as_infinity()
    {
        MetricRecord? record = new LineParser(LogFormat.HuggingFace).Parse("{'loss': 3.5, 'grad_norm': inf}", 1);

        double.IsPositiveInfinity(record!.GradNorm!.Value).Should().BeTrue();
    }

    private static void CheckFinite(MetricRecord? record, string line, string because)
    {
        if (record is null || SpellsNonFinite(line))
        {
            return;
        }

        var values = new List<(string Name, double? Value)>
        {
            ("epoch", record.Epoch), ("loss", record.Loss), ("lr", record.LearningRate), ("grad_norm", record.GradNorm),
            ("memory", record.MemoryMb), ("time", record.IterTimeSeconds), ("data_time", record.DataTimeSeconds),
            ("loss_scale", record.LossScale), ("eta", record.FrameworkEtaSeconds),
        };
        values.AddRange(record.Losses.Select(m => (m.Name, (double?)m.Value)));
        values.AddRange(record.Eval.Select(m => (m.Name, (double?)m.Value)));
        foreach ((string name, double? value) in values)
        {
            if (value is double v)
            {
                double.IsFinite(v).Should().BeTrue($"{name} = {v} from a line without nan/inf must be finite ({because}; line: {Excerpt(line)})");
            }
        }
    }

    private static bool SpellsNonFinite(string line) =>
        line.Contains("nan", StringComparison.OrdinalIgnoreCase) || line.Contains("inf", StringComparison.OrdinalIgnoreCase);

    private static string Excerpt(string line) => line.Length <= 300 ? line : line[..300] + $"… ({line.Length} chars)";

    /// <summary>The string literals of at least 20 characters in ParserTests.cs: the real log lines its tests quote.</summary>
    private static IReadOnlyList<string> RealLines()
    {
        string source = File.ReadAllText(Path.Combine(RepoPaths.Root, "tests", "CclAgent.Watch.Tests", "Parsing", "ParserTests.cs"));
        return [.. StringLiteral().Matches(source)
            .Select(m => Regex.Unescape(m.Groups["body"].Value))
            .Where(s => s.Length >= 20)
            .Distinct(StringComparer.Ordinal)];
    }

    [GeneratedRegex("(?<![@$])\"(?<body>(?:[^\"\\\\\\r\\n]|\\\\.)*)\"")]
    private static partial Regex StringLiteral();
}
