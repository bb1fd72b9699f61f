using System.Globalization;
using System.Text;
using CclAgent.Core.Json;
using CclAgent.Core.Secrets;
using CclAgent.Diagnosis.Classification;
using CclAgent.Diagnosis.Evidence;
using CclAgent.Diagnosis.Reports;
using CclAgent.Llm.Calls;
using CclAgent.Llm.Clients;
using CclAgent.Llm.Context;

namespace CclAgent.Diagnosis.Review;

/// <summary>
/// The --llm mode: one conversation, context kept across turns (analyze code → correlate errors with code →
/// root cause → recommendations), bounded by the turn limit. Evidence first, reasoning second: the model
/// sees the deterministic verdict and the redacted evidence, may add correlations and explanations, and
/// disagreements are recorded next to the verdict, never in its place. A model that fails leaves the
/// deterministic report untouched (llm.used false).
/// </summary>
public static class DiagnosisReviewer
{
    public const int DefaultMaxTurns = 4;
    private const int MaxCodeLinesPerFile = 120;
    private const int MaxNoteChars = 1200;

    private const string SystemPrompt =
        "You are a senior engineer reviewing why a distributed PyTorch/NCCL training run failed. A deterministic " +
        "analyzer has already matched the logs and produced a verdict; you see its evidence (ids like ev-3, with " +
        "file:line) and the code findings. Work in the stages you are asked for, build on your earlier answers, " +
        "cite evidence ids and file:line locations, and say plainly when you disagree with the verdict. Do not invent evidence.";

    public static async Task<DiagnosisReport> ReviewAsync(
        DiagnosisReport report, IReadOnlyList<string> codeFiles, ModelConnection connection, int maxTurns, string? outDirectory, TimeProvider time, Action<string> warn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(codeFiles);
        LlmSettings settings = connection.Settings;
        var conversation = new LlmConversation(connection, time, SystemPrompt, maxTurns, warn);
        var notes = new List<string>();
        var correlations = new List<ModelCorrelation>();
        var recommendations = new List<string>();
        RootCauseReply? rootCause = null;
        var known = report.Evidence.Select(e => e.Id).ToHashSet(StringComparer.Ordinal);

        if (!settings.Enabled)
        {
            notes.Add("provider none: no model asked");
        }
        else
        {
            ConversationReply<string> analysis = await conversation.AskTextAsync("analyze_code", Sections(report, codeFiles), AnalyzeTask(codeFiles), cancellationToken);
            if (analysis.Text is { } text)
            {
                notes.Add("analysis: " + Clip(text));
            }

            ConversationReply<CorrelationReply> correlate = await conversation.AskJsonAsync("correlate",
                "Stage 2 of 4: correlate the errors with the code. For each link you see, give the evidence id, the code location (file:line, or \"\" when the link is not to code) and why one explains the other. An empty list is fine.",
                ReviewJsonContext.Default.CorrelationReply, cancellationToken);
            Note(notes, "correlate", correlate.Outcome, correlate.Reason);
            foreach (CorrelationProposal p in correlate.Value?.Correlations ?? [])
            {
                if (known.Contains(p.EvidenceId))
                {
                    correlations.Add(new ModelCorrelation(p.EvidenceId, string.IsNullOrWhiteSpace(p.Location) ? null : Safe(p.Location), Clip(p.Explanation)));
                }
                else
                {
                    notes.Add($"correlation rejected: evidence id '{Safe(p.EvidenceId)}' is not in the report");
                }
            }

            ConversationReply<RootCauseReply> cause = await conversation.AskJsonAsync("root_cause",
                $"Stage 3 of 4: the root cause. Give the category (exactly one of: {string.Join(", ", FailureCategory.All)}), the root cause in one sentence, whether you agree with the deterministic verdict ({report.Verdict.Category}), and your explanation.",
                ReviewJsonContext.Default.RootCauseReply, cancellationToken);
            Note(notes, "root_cause", cause.Outcome, cause.Reason);
            rootCause = cause.Value;
            if (rootCause is not null)
            {
                notes.Add("explanation: " + Clip(rootCause.Explanation));
            }

            ConversationReply<RecommendationsReply> advice = await conversation.AskJsonAsync("recommendations",
                "Stage 4 of 4: recommendations. List concrete fixes in priority order (the env var and value, the code change at file:line, or the node action), then any notes.",
                ReviewJsonContext.Default.RecommendationsReply, cancellationToken);
            Note(notes, "recommendations", advice.Outcome, advice.Reason);
            if (advice.Value is { } a)
            {
                recommendations.AddRange(a.Recommendations.Where(r => !string.IsNullOrWhiteSpace(r)).Select(Clip));
                if (!string.IsNullOrWhiteSpace(a.Notes))
                {
                    notes.Add("notes: " + Clip(a.Notes));
                }
            }
        }

        (string? category, string? rejected) = rootCause is null ? ((string?)null, (string?)null)
            : FailureCategory.All.Contains(rootCause.Category.Trim(), StringComparer.Ordinal) ? (rootCause.Category.Trim(), (string?)null)
            : ((string?)null, $"'{Safe(rootCause.Category)}' is not one of the known categories ({string.Join(", ", FailureCategory.All)})");

        // The category decides agreement when the model named a valid one; its own flag only when it did not.
        bool? agrees = rootCause is null ? null : category is not null ? category == report.Verdict.Category : rootCause.AgreesWithVerdict;
        if (agrees == false)
        {
            notes.Insert(0, $"disagreement: the model says {category ?? "(rejected category)"}, the deterministic verdict is {report.Verdict.Category}; the verdict stays");
        }

        var turns = new List<ReviewTurn>();
        foreach (PromptPack pack in conversation.Packs)
        {
            turns.AddRange(pack.Turns.Select(t => new ReviewTurn
            {
                Turn = t.Turn,
                Stage = pack.Purpose,
                Kind = t.Kind,
                CallId = pack.CallId,
                Parse = t.Parse,
                ParseError = t.ParseError is null ? null : Clip(t.ParseError),
                Error = t.Attempts.Count > 0 && t.Attempts[^1].Error is { } e ? Safe(e) : null,
                InputTokens = t.InputTokens,
                OutputTokens = t.OutputTokens,
                LatencyMs = t.LatencyMs,
            }));
        }

        if (conversation.UnavailableReason is null && conversation.Turns >= maxTurns && conversation.Packs.Count < 4 && settings.Enabled)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"turn limit of {maxTurns} reached after {conversation.Packs.Count} of 4 stages"));
        }

        var packs = new List<string>();
        if (outDirectory is not null && conversation.Packs.Count > 0)
        {
            string dir = Path.Combine(outDirectory, "llm");
            Directory.CreateDirectory(dir);
            foreach (PromptPack pack in conversation.Packs)
            {
                string file = Path.Combine(dir, pack.CallId + ".json");
                await ArtifactJson.WriteAsync(file, pack, LlmJsonContext.Default.PromptPack, CancellationToken.None);
                packs.Add(file);
            }
        }

        long input = turns.Sum(t => t.InputTokens ?? 0);
        long output = turns.Sum(t => t.OutputTokens ?? 0);
        var review = new ModelReview
        {
            Used = conversation.Used,
            Provider = LlmSettings.ProviderName(settings.Provider),
            Model = settings.Enabled ? settings.Model : null,
            Endpoint = settings.Enabled ? settings.SafeEndpoint : null,
            MaxTurns = maxTurns,
            Turns = turns,
            InputTokens = input,
            OutputTokens = output,
            TotalTokens = input + output,
            AgreesWithVerdict = agrees,
            ModelRootCause = rootCause is null ? null : Clip(rootCause.RootCause),
            ModelCategory = category,
            ModelCategoryRejected = rejected,
            Correlations = correlations,
            Recommendations = recommendations,
            Notes = notes,
            Unavailable = conversation.UnavailableReason,
            PromptPacks = packs,
        };
        return report with { Llm = review };
    }

    /// <summary>What the model is shown first, highest priority kept longest. Every text is already redacted or redacted here.</summary>
    private static List<ContextSection> Sections(DiagnosisReport report, IReadOnlyList<string> codeFiles)
    {
        var c = CultureInfo.InvariantCulture;
        var verdict = new StringBuilder();
        Verdict v = report.Verdict;
        verdict.AppendLine(c, $"category: {v.Category} ({v.Domain}, {v.Role}), confidence {v.Confidence:0.00}, failure step {(v.FailureStep?.ToString(c) ?? "unknown")}");
        verdict.AppendLine(c, $"root cause: {v.RootCause}");
        foreach (string reason in v.Reasoning)
        {
            verdict.AppendLine(c, $"- {reason}");
        }

        var evidence = new StringBuilder();
        foreach (EvidenceItem e in report.Evidence.Where(e => e.Role != CausalRole.Context).Take(40))
        {
            evidence.AppendLine(c, $"[{e.Id}] {e.File}:{e.Line} {e.Signal} ({e.Category}, {e.Role}, ×{e.Occurrences}): {e.Text}");
        }

        var findings = new StringBuilder();
        foreach (var f in report.CodeFindings)
        {
            findings.AppendLine(c, $"{f.File}:{f.Line} {f.Rule}: {f.Message} | {f.Text}");
        }

        var sections = new List<ContextSection>
        {
            new("Deterministic verdict", 100, verdict.ToString()),
            new("Evidence", 90, evidence.Length == 0 ? "none\n" : evidence.ToString()),
            new("Code findings", 80, findings.Length == 0 ? "none\n" : findings.ToString()),
        };
        foreach (string file in report.CodeFindings.Select(f => f.File).Concat(codeFiles).Distinct(StringComparer.Ordinal))
        {
            if (CodeExcerpt(file) is { } excerpt)
            {
                sections.Add(new ContextSection($"Code {file}", 60, excerpt));
            }
        }

        return sections;
    }

    /// <summary>The first lines of a script, numbered, each through the secret redactor (scripts hold tokens too).</summary>
    private static string? CodeExcerpt(string file)
    {
        try
        {
            var text = new StringBuilder();
            int n = 0;
            foreach (string line in File.ReadLines(file).Take(MaxCodeLinesPerFile))
            {
                string shown = line.Length > 300 ? line[..300] : line;
                text.Append(++n).Append(": ").AppendLine(SecretRedactor.Redact(shown));
            }

            return text.ToString();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string AnalyzeTask(IReadOnlyList<string> codeFiles) => codeFiles.Count > 0
        ? "Stage 1 of 4: analyze the training code above. What in it could cause or worsen the failure shown by the evidence? Answer in a few sentences of plain text."
        : "Stage 1 of 4: no training code was given; analyze the evidence above and say what in the job's code or configuration could have caused it. Answer in a few sentences of plain text.";

    private static void Note(List<string> notes, string stage, string outcome, string? reason)
    {
        if (outcome is "discarded" or "skipped")
        {
            notes.Add($"{stage}: {outcome}{(reason is null ? string.Empty : " (" + Clip(reason) + ")")}");
        }
    }

    /// <summary>Model text can echo anything it was shown or invents; it passes the redactor before it is printed.</summary>
    private static string Safe(string text) => SecretRedactor.Redact(text.ReplaceLineEndings(" ").Trim());

    private static string Clip(string text)
    {
        string safe = Safe(text);
        return safe.Length > MaxNoteChars ? safe[..MaxNoteChars] + "…" : safe;
    }
}
