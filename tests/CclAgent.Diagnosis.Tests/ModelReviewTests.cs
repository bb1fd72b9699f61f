using CclAgent.Diagnosis.Reports;
using CclAgent.Diagnosis.Review;
using CclAgent.Diagnosis.Tests.Support;
using CclAgent.Llm.Clients;

namespace CclAgent.Diagnosis.Tests;

/// <summary>The --llm conversation against a loopback Ollama server: context carried, turns bounded, tokens counted, bad replies survived.</summary>
public sealed class ModelReviewTests
{
    private static readonly string Log = Given.Training(30) + "\n" + LogExcerpts.IbNew + "\n" + LogExcerpts.Watchdog;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Context_is_carried_across_the_four_turns(bool streamed)
    {
        DiagnosisReport baseline = Given.Diagnose(Log);
        string ev = baseline.Verdict.EvidenceIds[0];
        var script = new ReviewScript([ReviewScript.Analysis, ReviewScript.Correlations(ev), ReviewScript.RootCause("ib_network_error", true), ReviewScript.Recommendations]);
        using var server = new OllamaLoopback(streamed, script.Answer);

        DiagnosisReport report = await ReviewAsync(baseline, server.BaseUrl, streamed, maxTurns: 4);

        Assert.Empty(server.Failures);
        Assert.Equal(4, server.RequestCount);
        ModelReview llm = report.Llm!;
        Assert.True(llm.Used);
        Assert.Equal(["analyze_code", "correlate", "root_cause", "recommendations"], llm.Turns.Select(t => t.Stage));
        Assert.All(llm.Turns, t => Assert.Equal("ok", t.Parse));
        Assert.All(llm.Turns, t => Assert.Equal(OllamaLoopback.PromptTokens + OllamaLoopback.ReplyTokens, t.TotalTokens));
        Assert.Equal(4 * (OllamaLoopback.PromptTokens + OllamaLoopback.ReplyTokens), llm.TotalTokens);
        Assert.True(llm.AgreesWithVerdict);
        Assert.Equal("ib_network_error", llm.ModelCategory);
        Assert.Single(llm.Correlations);
        Assert.Equal(ev, llm.Correlations[0].EvidenceId);
        Assert.Contains(llm.Notes, n => n.Contains("ev-999") && n.Contains("rejected"));
        Assert.Contains(llm.Notes, n => n.Contains("ANALYSIS-TURN-1"));
        Assert.Contains("TURN-4 set NCCL_IB_TIMEOUT=22", llm.Recommendations);
        Assert.Equal(baseline.Verdict, report.Verdict);
        Assert.Contains("MODEL REVIEW", DiagnosisTextWriter.Render(report));
    }

    [Fact]
    public async Task Turns_are_bounded_by_max_turns()
    {
        DiagnosisReport baseline = Given.Diagnose(Log);
        var script = new ReviewScript([ReviewScript.Analysis, ReviewScript.Correlations(baseline.Verdict.EvidenceIds[0]), ReviewScript.RootCause("cuda_oom", false), ReviewScript.Recommendations]);
        using var server = new OllamaLoopback(false, script.Answer);

        DiagnosisReport report = await ReviewAsync(baseline, server.BaseUrl, false, maxTurns: 2);

        Assert.Equal(2, server.RequestCount);
        Assert.Equal(2, report.Llm!.Turns.Count);
        Assert.Null(report.Llm.AgreesWithVerdict);
        Assert.Contains(report.Llm.Notes, n => n.Contains("turn limit of 2"));
    }

    [Fact]
    public async Task A_different_category_is_shown_as_a_disagreement_and_the_verdict_stays()
    {
        DiagnosisReport baseline = Given.Diagnose(Log);
        var script = new ReviewScript([ReviewScript.Analysis, ReviewScript.Correlations(baseline.Verdict.EvidenceIds[0]), ReviewScript.RootCause("cuda_oom", true), ReviewScript.Recommendations]);
        using var server = new OllamaLoopback(false, script.Answer);

        DiagnosisReport report = await ReviewAsync(baseline, server.BaseUrl, false, maxTurns: 4);

        Assert.False(report.Llm!.AgreesWithVerdict);
        Assert.Equal("cuda_oom", report.Llm.ModelCategory);
        Assert.Equal("ib_network_error", report.Verdict.Category);
        Assert.Contains(report.Llm.Notes, n => n.StartsWith("disagreement:"));
        Assert.Contains("DISAGREES", DiagnosisTextWriter.Render(report));
    }

    [Fact]
    public async Task An_unknown_category_is_rejected_with_a_reason()
    {
        DiagnosisReport baseline = Given.Diagnose(Log);
        var script = new ReviewScript([ReviewScript.Analysis, ReviewScript.Correlations(baseline.Verdict.EvidenceIds[0]), ReviewScript.RootCause("gremlins", false), ReviewScript.Recommendations]);
        using var server = new OllamaLoopback(false, script.Answer);

        DiagnosisReport report = await ReviewAsync(baseline, server.BaseUrl, false, maxTurns: 4);

        Assert.Null(report.Llm!.ModelCategory);
        Assert.Contains("'gremlins' is not one of the known categories", report.Llm.ModelCategoryRejected);
        Assert.False(report.Llm.AgreesWithVerdict);
    }

    [Fact]
    public async Task Invalid_json_is_recorded_repaired_once_and_skipped()
    {
        DiagnosisReport baseline = Given.Diagnose(Log);
        const string Prose = "Sure! The correlation is obvious.";
        var script = new ReviewScript([ReviewScript.Analysis, Prose, Prose, ReviewScript.RootCause("ib_network_error", true), ReviewScript.Recommendations]);
        using var server = new OllamaLoopback(false, script.Answer);

        DiagnosisReport report = await ReviewAsync(baseline, server.BaseUrl, false, maxTurns: 8);

        Assert.Empty(server.Failures);
        ModelReview llm = report.Llm!;
        Assert.Equal(["analyze_code", "correlate", "correlate", "root_cause", "recommendations"], llm.Turns.Select(t => t.Stage));
        Assert.Equal(["ok", "invalid_json", "invalid_json", "ok", "ok"], llm.Turns.Select(t => t.Parse));
        Assert.Equal("repair", llm.Turns[2].Kind);
        Assert.Empty(llm.Correlations);
        Assert.Contains(llm.Notes, n => n.StartsWith("correlate: discarded"));
        Assert.True(llm.AgreesWithVerdict);
    }

    [Fact]
    public async Task Server_down_leaves_the_deterministic_report_with_one_warning()
    {
        DiagnosisReport baseline = Given.Diagnose(Log);
        var warnings = new List<string>();
        var settings = Settings($"http://127.0.0.1:{OllamaLoopback.ClosedPort()}", false);
        using ModelConnection connection = ChatClientFactory.Create(settings, _ => null);

        DiagnosisReport report = await DiagnosisReviewer.ReviewAsync(baseline, [], connection, 4, null, TimeProvider.System, warnings.Add, CancellationToken.None);

        Assert.Single(warnings);
        Assert.False(report.Llm!.Used);
        Assert.NotNull(report.Llm.Unavailable);
        Assert.Equal(baseline.Verdict, report.Verdict);
    }

    private static async Task<DiagnosisReport> ReviewAsync(DiagnosisReport baseline, string endpoint, bool streamed, int maxTurns)
    {
        using ModelConnection connection = ChatClientFactory.Create(Settings(endpoint, streamed), _ => null);
        return await DiagnosisReviewer.ReviewAsync(baseline, [], connection, maxTurns, null, TimeProvider.System, _ => { }, CancellationToken.None);
    }

    private static LlmSettings Settings(string endpoint, bool streamed) => new()
    {
        Provider = LlmProvider.Ollama,
        Model = "llama3.1",
        Endpoint = new Uri(endpoint),
        Stream = streamed,
        MaxRetries = 0,
        Timeout = TimeSpan.FromSeconds(10),
    };
}
