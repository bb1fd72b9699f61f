using CclAgent.Testing;

namespace CclAgent.Watch.Tests.RealLogs;

/// <summary>
/// The real-log corpus (RealLogs/&lt;id&gt;/: a published training log, its source and a hand-written expectation) is how
/// changes to <c>watch</c> are judged. The real CLI runs <c>watch --once --json</c> on every log; the scoreboard is an
/// approval file (Approvals/watch-real-logs.approved.txt, quoted in docs/watch.md), so any change to a figure shows up
/// in review, and the totals must stay at or above the floors below.
/// </summary>
public sealed class RealLogCorpusTests
{
    private static readonly string[] Splits = ["fit", "judge"];

    [Fact]
    public void Every_case_names_its_public_source_a_split_and_a_log_that_exists()
    {
        IReadOnlyList<RealLogCase> cases = RealLogCase.LoadAll();

        cases.Should().HaveCountGreaterThanOrEqualTo(25);
        cases.Select(c => c.Id).Should().OnlyHaveUniqueItems();
        foreach (RealLogCase c in cases)
        {
            Path.GetFileName(c.Directory).Should().Be(c.Id);
            c.Source.Should().StartWith("https://", c.Id);
            c.Split.Should().BeOneOf(Splits, c.Id);
            c.Formats.Should().NotBeEmpty(c.Id);
            File.Exists(c.LogPath).Should().BeTrue($"{c.Id}: {c.LogPath}");
        }

        foreach (string split in Splits)
        {
            cases.Count(c => c.Split == split).Should().BeGreaterThanOrEqualTo(cases.Count / 3, $"the {split} half holds a fair share");
        }
    }

    [Fact]
    public async Task Watch_once_json_on_every_real_log_scores_as_approved_and_at_least_the_floors()
    {
        var scores = new List<CaseScore>();
        foreach (RealLogCase c in RealLogCase.LoadAll())
        {
            (int code, string stdout, string _) = await CliProcess.RunAsync("watch", "--once", "--json", "--log", c.LogPath);
            scores.Add(CaseScore.Of(c, WatchRun.Parse(code, stdout)));
        }

        var board = new Scoreboard(scores);
        Approvals.Verify("watch-real-logs", board.ToMarkdown(), "CclAgent.Watch.Tests");

        // The floors are the figures of 2026-12-02 (docs/watch.md): a change may raise them, never lower them.
        Totals all = board.For(null);
        all.FormatRecognised.Should().Be(all.Logs, "every real log's format is recognised");
        all.RequiredAlertsFired.Should().BeGreaterThanOrEqualTo(11, "required alerts");
        all.FalseAlarms.Should().BeLessThanOrEqualTo(3, "false alarms");
        all.PhasesAgree.Should().BeGreaterThanOrEqualTo(23, "phases a person agrees with");
        all.AdviceRight.Should().BeGreaterThanOrEqualTo(25, "early-stop advice as a person would give it");
        all.AdviceHeldUp.Should().BeGreaterThanOrEqualTo(all.AdviceEmitted - 2, "advice the metric bore out afterwards");
    }
}
