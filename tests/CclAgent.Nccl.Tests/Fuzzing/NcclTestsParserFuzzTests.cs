using System.Globalization;
using System.Text;
using CclAgent.Nccl.NcclTests;
using CclAgent.Nccl.Tests.NcclTests;
using CclAgent.Testing.Fuzzing;

namespace CclAgent.Nccl.Tests.Fuzzing;

/// <summary>
/// Property test of the nccl-tests parser over mutants of the real fixtures (Fixtures/*.txt): it never throws, every
/// number it keeps is finite, sizes and counts are non-negative, and the same input always gives the same report.
/// </summary>
public sealed class NcclTestsParserFuzzTests
{
    private const int MutantsPerSeed = 200;
    private const int Seed = 20_240_611;

    public static TheoryData<string> Fixtures()
    {
        var data = new TheoryData<string>();
        foreach (string path in Directory.GetFiles(Path.GetDirectoryName(Fixture.Path("current.txt"))!, "*.txt").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(path));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public async Task Mutants_of_a_real_output_never_throw_and_give_finite_non_negative_deterministic_rows(string fixture)
    {
        byte[] seed = await File.ReadAllBytesAsync(Fixture.Path(fixture));
        var mutator = new Mutator(Seed + fixture.Length);
        int index = 0;
        foreach (byte[] mutant in mutator.Mutants(seed, MutantsPerSeed))
        {
            string because = $"mutant {index++} of {fixture}";
            string text = Encoding.UTF8.GetString(mutant);

            NcclTestsReport first = NcclTestsParser.Parse(text);
            NcclTestsReport second = NcclTestsParser.Parse(text);
            NcclTestsReport streamed = await ParseStreamAsync(mutant);
            NcclTestsReport streamedAgain = await ParseStreamAsync(mutant);

            Check(first, because);
            Check(streamed, because);
            Describe(second).Should().Be(Describe(first), because);
            Describe(streamedAgain).Should().Be(Describe(streamed), because);
        }
    }

    [Fact]
    public void Random_text_and_json_never_throw_and_give_finite_rows()
    {
        var mutator = new Mutator(Seed);
        for (int i = 0; i < 300; i++)
        {
            string text = mutator.Mutate(mutator.RandomJson(4));
            Check(NcclTestsParser.Parse(text), $"random input {i}");
        }
    }

    private static async Task<NcclTestsReport> ParseStreamAsync(byte[] bytes)
    {
        using var reader = new StreamReader(new MemoryStream(bytes, writable: false), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return await NcclTestsParser.ParseAsync(reader);
    }

    private static void Check(NcclTestsReport report, string because)
    {
        report.Lines.Should().BeGreaterThanOrEqualTo(report.SkippedLines, because);
        report.SkippedLines.Should().BeGreaterThanOrEqualTo(0, because);
        foreach (NcclTestsCollective collective in report.Collectives)
        {
            collective.Rows.Should().NotBeEmpty(because);
            FiniteOrNull(collective.AvgBusBandwidth, "avg busbw", because);
            FiniteOrNull(collective.ReportedAvgBusBandwidth, "reported avg busbw", because);
            collective.DroppedRows.Should().BeGreaterThanOrEqualTo(0, because);
            foreach (NcclTestsRow row in collective.Rows)
            {
                row.Size.Should().BeGreaterThanOrEqualTo(0, because);
                row.Count.Should().BeGreaterThanOrEqualTo(0, because);
                foreach (NcclTestsMeasurement m in new[] { row.OutOfPlace, row.InPlace })
                {
                    FiniteOrNull(m.TimeUs, "time", because);
                    FiniteOrNull(m.AlgBw, "algbw", because);
                    FiniteOrNull(m.BusBw, "busbw", because);
                    FiniteOrNull(m.Wrong, "#wrong", because);
                }
            }
        }
    }

    private static void FiniteOrNull(double? value, string what, string because)
    {
        if (value is double v)
        {
            double.IsFinite(v).Should().BeTrue($"{what} {v} must be finite ({because})");
        }
    }

    private static string Describe(NcclTestsReport report)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{report.Lines} {report.SkippedLines}\n");
        foreach (NcclTestsCollective c in report.Collectives)
        {
            text.Append(CultureInfo.InvariantCulture, $"{c.Name}|{c.AvgBusBandwidth:R}|{c.ReportedAvgBusBandwidth:R}|{c.OutOfBounds}|{c.LegacyErrorColumn}|{c.DroppedRows}\n");
            foreach (NcclTestsRow r in c.Rows)
            {
                text.Append(CultureInfo.InvariantCulture, $"{r.Size} {r.Count} {r.Type} {r.Redop} {r.Root} {r.OutOfPlace} {r.InPlace}\n");
            }
        }

        return text.ToString();
    }
}
