using CclAgent.Diagnosis.Classification;
using CclAgent.Testing;

namespace CclAgent.Diagnosis.Tests.RealFailures;

/// <summary>
/// The real-failure corpus (RealFailures/&lt;id&gt;/: an excerpt from a public thread whose cause was confirmed there) is
/// how changes to <c>diagnose</c> are judged. The real CLI runs <c>diagnose --json</c> on every case; the scoreboard is an
/// approval file (Approvals/diagnose-real-failures.approved.txt, quoted in docs/diagnose.md) and the totals must stay at
/// or above the floors below.
/// </summary>
public sealed class RealFailureCorpusTests
{
    private static readonly string[] Splits = ["fit", "judge"];

    [Fact]
    public void Every_case_names_its_thread_a_split_known_categories_and_logs_that_exist()
    {
        IReadOnlyList<RealFailureCase> cases = RealFailureCase.LoadAll();

        cases.Should().HaveCountGreaterThanOrEqualTo(40);
        cases.Select(c => c.Id).Should().OnlyHaveUniqueItems();
        foreach (RealFailureCase c in cases)
        {
            Path.GetFileName(c.Directory).Should().Be(c.Id);
            c.Source.Should().StartWith("https://", c.Id);
            c.Split.Should().BeOneOf(Splits, c.Id);
            c.AcceptableCategories.Should().NotBeEmpty(c.Id).And.BeSubsetOf(FailureCategory.All, c.Id);
            c.LogPaths.Should().NotBeEmpty(c.Id).And.OnlyContain(p => File.Exists(p), c.Id);
        }

        foreach (string split in Splits)
        {
            cases.Count(c => c.Split == split).Should().BeGreaterThanOrEqualTo(cases.Count / 3, $"the {split} half holds a fair share");
        }
    }

    [Fact]
    public async Task Diagnose_json_on_every_real_failure_scores_as_approved_and_at_least_the_floors()
    {
        var scores = new List<FailureScore>();
        foreach (RealFailureCase c in RealFailureCase.LoadAll())
        {
            (int code, string stdout, string _) = await CliRunner.RunAsync(["diagnose", "--json", "--log", .. c.LogPaths]);
            scores.Add(FailureScore.Of(c, code, stdout));
        }

        var board = new FailureScoreboard(scores);
        Approvals.Verify("diagnose-real-failures", board.ToMarkdown(), "CclAgent.Diagnosis.Tests");

        // The floors are the figures of 2026-12-02 (docs/diagnose.md): a change may raise them, never lower them.
        (int fitCases, int fitTop1, _, _, _) = board.For("fit");
        (int cases, int top1, int top3, _, _) = board.For(null);
        fitTop1.Should().BeGreaterThanOrEqualTo(fitCases - 1, "the fit half is diagnosed right but for one case");
        top1.Should().BeGreaterThanOrEqualTo((int)Math.Ceiling(0.9 * cases), $"top-1 ≥ 90% on {cases} real failures (issue 16)");
        top3.Should().BeGreaterThanOrEqualTo(top1);
    }
}
