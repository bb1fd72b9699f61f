using System.Reflection;
using System.Text;
using CclAgent.Diagnosis.Evidence;
using CclAgent.Diagnosis.Reports;
using CclAgent.Diagnosis.Sources;
using CclAgent.Testing;
using CclAgent.Testing.Fuzzing;

namespace CclAgent.Diagnosis.Tests.Fuzzing;

/// <summary>
/// Property test of diagnose over temp log files built from mutated real excerpts (<see cref="LogExcerpts"/>): it never
/// throws, the verdict's confidence is in [0, 1], and every quoted evidence line is bounded in length.
/// </summary>
public sealed class DiagnoserFuzzTests : IDisposable
{
    private const int MutantsPerSeed = 20;
    private const int MaxEvidenceChars = 512;
    private const int Seed = 31_337;

    private readonly TempDirectory _temp = new("ccl-fuzz-diag-");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Logs_of_mutated_real_excerpts_never_throw_and_give_a_bounded_verdict_and_evidence()
    {
        string[] excerpts = Excerpts();
        excerpts.Should().HaveCountGreaterThan(30);
        var mutator = new Mutator(Seed);
        string path = _temp.File("train.log");
        for (int s = 0; s < excerpts.Length; s++)
        {
            // The excerpt inside a little steady training, as in a real log.
            byte[] log = Encoding.UTF8.GetBytes(Given.Training(5) + "\n" + excerpts[s] + "\n" + Given.Training(2, start: 6));
            int index = 0;
            foreach (byte[] mutant in mutator.Mutants(log, MutantsPerSeed))
            {
                File.WriteAllBytes(path, mutant);
                Check(Diagnoser.Diagnose([LogSource.FromFile(path)]), $"mutant {index++} of excerpt {s} ({excerpts[s]})");
            }
        }
    }

    [Fact]
    public void A_shuffled_log_of_every_excerpt_mutated_never_throws_and_gives_a_bounded_verdict()
    {
        string all = string.Join('\n', Excerpts());
        var mutator = new Mutator(Seed + 1);
        string path = _temp.File("all.log");
        for (int i = 0; i < 50; i++)
        {
            File.WriteAllBytes(path, mutator.Mutate(Encoding.UTF8.GetBytes(all)));
            Check(Diagnoser.Diagnose([LogSource.FromFile(path)]), $"whole-log mutant {i}");
        }
    }

    private static void Check(DiagnosisReport report, string because)
    {
        report.Verdict.Confidence.Should().BeInRange(0, 1, because);
        foreach (EvidenceItem item in report.Evidence)
        {
            item.Text.Length.Should().BeLessThanOrEqualTo(MaxEvidenceChars, because);
            item.Line.Should().BePositive(because);
        }
    }

    private static string[] Excerpts() =>
        [.. typeof(LogExcerpts).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .OrderBy(f => f.Name, StringComparer.Ordinal)
            .Select(f => (string)f.GetRawConstantValue()!)];
}
