using System.Globalization;
using System.Text;
using CclAgent.Diagnosis.Classification;
using CclAgent.Diagnosis.Evidence;
using CclAgent.Diagnosis.Recommendations;

namespace CclAgent.Diagnosis.Reports;

/// <summary>The human report: summary, error progression, root cause with confidence, evidence, code findings, recommendations.</summary>
public static class DiagnosisTextWriter
{
    private const int MaxProgression = 25;
    private const int MaxEvidence = 15;

    public static string Render(DiagnosisReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        Verdict v = report.Verdict;
        text.AppendLine("SUMMARY");
        text.AppendLine(c, $"  root cause    {v.RootCause}");
        text.AppendLine(c, $"  category      {v.Category} ({v.Domain}, {v.Role})");
        text.AppendLine(c, $"  confidence    {v.Confidence:0.00}");
        text.AppendLine(c, $"  failure step  {(v.FailureStep is long step ? step.ToString(c) : "unknown")}");
        text.AppendLine(c, $"  scanned       {report.Sources.Count} source(s), {report.Sources.Sum(s => s.Lines)} lines, {report.Evidence.Sum(e => 1)} evidence lines kept");
        foreach (string note in report.Notes)
        {
            text.AppendLine(c, $"  note          {note}");
        }

        Progression(text, report);
        text.AppendLine();
        text.AppendLine("ROOT CAUSE");
        text.AppendLine(c, $"  {v.Category} with confidence {v.Confidence:0.00}: {v.RootCause}");
        foreach (string reason in v.Reasoning)
        {
            text.AppendLine(c, $"  - {reason}");
        }

        Evidence(text, report);
        CodeFindings(text, report);
        Recommendations(text, report);
        ModelReviewSection(text, report);
        return text.ToString();
    }

    private static void Progression(StringBuilder text, DiagnosisReport report)
    {
        var c = CultureInfo.InvariantCulture;
        List<EvidenceItem> steps = report.Evidence.Where(e => e.Role != CausalRole.Context).ToList();
        if (steps.Count == 0)
        {
            return;
        }

        text.AppendLine();
        text.AppendLine("ERROR PROGRESSION (per source, in line order)");
        foreach (EvidenceItem e in steps.Take(MaxProgression))
        {
            string count = e.Occurrences > 1 ? string.Create(c, $" (×{e.Occurrences})") : string.Empty;
            text.AppendLine(c, $"  {e.File}:{e.Line}  [{e.Role}] {e.Category} {e.Signal}{count}");
        }

        if (steps.Count > MaxProgression)
        {
            text.AppendLine(c, $"  … {steps.Count - MaxProgression} more (see --json)");
        }
    }

    private static void Evidence(StringBuilder text, DiagnosisReport report)
    {
        var c = CultureInfo.InvariantCulture;
        text.AppendLine();
        text.AppendLine("EVIDENCE");
        var shown = report.Verdict.EvidenceIds.ToHashSet();
        IEnumerable<EvidenceItem> items = report.Evidence.Where(e => shown.Contains(e.Id))
            .Concat(report.Evidence.Where(e => !shown.Contains(e.Id) && e.Role != CausalRole.Context)).Take(MaxEvidence);
        foreach (EvidenceItem e in items)
        {
            string facts = e.Facts.Count == 0 ? string.Empty : " " + string.Join(' ', e.Facts.Where(f => f.Key is not ("meaning" or "action" or "nvidia_resolution")).Select(f => $"{f.Key}={f.Value}"));
            text.AppendLine(c, $"  [{e.Id}] {e.File}:{e.Line} {e.Signal} ({e.Role}){facts}");
            text.AppendLine(c, $"      {e.Text}");
            if (e.Note is not null)
            {
                text.AppendLine(c, $"      note: {e.Note}");
            }
        }

        if (report.Evidence.Count == 0)
        {
            text.AppendLine("  none");
        }
    }

    private static void CodeFindings(StringBuilder text, DiagnosisReport report)
    {
        if (report.CodeFindings.Count == 0)
        {
            return;
        }

        var c = CultureInfo.InvariantCulture;
        text.AppendLine();
        text.AppendLine("CODE FINDINGS");
        foreach (var f in report.CodeFindings)
        {
            text.AppendLine(c, $"  {f.File}:{f.Line} {f.Rule}{(f.Correlated ? " (matches the diagnosis)" : string.Empty)}: {f.Message}");
            text.AppendLine(c, $"      {f.Text}");
        }
    }

    private static void Recommendations(StringBuilder text, DiagnosisReport report)
    {
        var c = CultureInfo.InvariantCulture;
        text.AppendLine();
        text.AppendLine("RECOMMENDATIONS");
        int n = 1;
        foreach (Recommendation r in report.Recommendations)
        {
            text.AppendLine(c, $"  {n++}. {r.Priority,-8} [{r.Kind}] {r.Action}  (effort: {r.Effort})");
            if (r.Env is not null)
            {
                text.AppendLine(c, $"      env: {r.Env}");
            }

            if (r.Location is not null)
            {
                text.AppendLine(c, $"      at:  {r.Location}");
            }

            if (!string.IsNullOrEmpty(r.Detail))
            {
                text.AppendLine(c, $"      {r.Detail}");
            }
        }
    }

    /// <summary>What the model added (--llm): after the deterministic sections, so the verdict is read first.</summary>
    private static void ModelReviewSection(StringBuilder text, DiagnosisReport report)
    {
        if (report.Llm is not { } llm)
        {
            return;
        }

        var c = CultureInfo.InvariantCulture;
        text.AppendLine();
        text.AppendLine("MODEL REVIEW (the deterministic verdict above stays the answer)");
        if (!llm.Used)
        {
            text.AppendLine(c, $"  not used: {llm.Unavailable ?? "no reply"} ({llm.Provider})");
            return;
        }

        text.AppendLine(c, $"  model         {llm.Provider} {llm.Model}: {llm.Turns.Count} of {llm.MaxTurns} turn(s), {llm.TotalTokens} tokens ({llm.InputTokens} in, {llm.OutputTokens} out)");
        foreach (var t in llm.Turns)
        {
            text.AppendLine(c, $"    turn {t.Turn} {t.Stage} ({t.Kind}): {t.Parse}, {t.TotalTokens} tokens{(t.ParseError is null ? string.Empty : " - " + t.ParseError)}");
        }

        string agreement = llm.AgreesWithVerdict switch
        {
            true => "agrees",
            false => "DISAGREES",
            null => "no usable answer",
        };
        text.AppendLine(c, $"  verdict       {agreement}; model category {llm.ModelCategory ?? "none"}{(llm.ModelCategoryRejected is null ? string.Empty : " (rejected: " + llm.ModelCategoryRejected + ")")}");
        if (llm.ModelRootCause is not null)
        {
            text.AppendLine(c, $"  model says    {llm.ModelRootCause}");
        }

        foreach (var k in llm.Correlations)
        {
            text.AppendLine(c, $"  correlation   [{k.EvidenceId}] {k.Location ?? "-"}: {k.Explanation}");
        }

        foreach (string r in llm.Recommendations)
        {
            text.AppendLine(c, $"  suggests      {r}");
        }

        foreach (string note in llm.Notes)
        {
            text.AppendLine(c, $"  note          {note}");
        }

        foreach (string pack in llm.PromptPacks)
        {
            text.AppendLine(c, $"  prompt pack   {pack}");
        }
    }
}
