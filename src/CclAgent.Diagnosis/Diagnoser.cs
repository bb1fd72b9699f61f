using CclAgent.Core.Failures;
using CclAgent.Core.Text;
using CclAgent.Diagnosis.Classification;
using CclAgent.Diagnosis.Code;
using CclAgent.Diagnosis.Evidence;
using CclAgent.Diagnosis.Matchers;
using CclAgent.Diagnosis.Recommendations;
using CclAgent.Diagnosis.Reports;
using CclAgent.Diagnosis.Sources;

namespace CclAgent.Diagnosis;

/// <summary>
/// Root cause of a failed training run, evidence first: every source is streamed once through the evidence
/// library (bounded memory), the classifier separates initiating faults from cascades and ranks causes, and
/// the planner turns the verdict into ranked fixes. Deterministic: the same input gives the same report.
/// </summary>
public static class Diagnoser
{
    public static DiagnosisReport Diagnose(IEnumerable<LogSource> sources, DiagnosisOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sources);
        options ??= new DiagnosisOptions();
        var sink = new EvidenceSink(options.MaxEvidencePerSignal);
        var summaries = new List<SourceSummary>();
        int index = 0;
        foreach (LogSource source in sources)
        {
            summaries.Add(Scan(source, index++, sink, options, cancellationToken));
        }

        IReadOnlyList<CodeFinding> code = CodeAnalyzer.Analyze(options.CodeFiles, cancellationToken);
        var (verdict, candidates, evidence, findings) = RootCauseClassifier.Classify(sink.Items(), code, sink.LastEnqueuedByRank, sink.LastStep);
        return new DiagnosisReport
        {
            Verdict = verdict,
            Candidates = candidates,
            Evidence = evidence,
            CodeFindings = findings,
            Recommendations = RecommendationPlanner.Plan(verdict, evidence, findings),
            Sources = summaries,
            Notes = Notes(summaries, candidates.Count > 0),
        };
    }

    /// <summary>Diagnoses one failed tuning step from its failure class and message (for tune's avoid-rules).</summary>
    public static DiagnosisReport DiagnoseStepFailure(int step, string? failureClass, string? failureMessage, string name = "step") =>
        Diagnose([LogSource.FromFailedStep(name, step, failureClass, failureMessage)]);

    private static SourceSummary Scan(LogSource source, int index, EvidenceSink sink, DiagnosisOptions options, CancellationToken cancellationToken)
    {
        var context = new LineContext(source.Name, index) { Step = source.Step };
        var matchers = new MatcherSet();
        using var reader = new BoundedLineReader(source.Open(), LogLines.Options(options.MaxLineBytes, source.FirstLine));
        while (reader.MoveNext())
        {
            if ((reader.LineNumber & 0xFFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            context.Line = reader.LineNumber;
            context.Step = source.Step ?? context.Step;
            matchers.Inspect(reader.Current, context, sink);
        }

        matchers.Complete(context, sink);
        sink.NoteStep(context.Step);
        if (source.Step is int step && sink.CountFor(source.Name) == 0 && StepFailureCategory(source.FailureClass) is { } category)
        {
            context.Line = source.FirstLine;
            sink.Add(Signals.StepFailure, context, $"{source.FailureClass}: step {step} failed", new Dictionary<string, string> { ["failure_class"] = source.FailureClass ?? "unknown" },
                category: category.Category, role: category.Role);
        }

        return new SourceSummary
        {
            Name = source.Name,
            Lines = reader.LineNumber - source.FirstLine + 1,
            Bytes = reader.BytesRead,
            BinaryLinesSkipped = reader.BinaryLinesSkipped,
            LongLinesTruncated = reader.LongLinesTruncated,
            EvidenceFound = sink.CountFor(source.Name),
            Step = source.Step,
        };
    }

    /// <summary>
    /// A tuning step's failure class, used only when its message matched no signal: the simulator's and
    /// real runners' classes (docs/configuration.md, "Failure classes") mapped to categories.
    /// </summary>
    private static (string Category, string Role)? StepFailureCategory(string? failureClass) =>
        (failureClass is null ? FailureKind.Unknown : FailureClass.Parse(failureClass).Kind) switch
        {
            FailureKind.NcclInitError => (FailureCategory.CodeBug, CausalRole.Initiating),
            FailureKind.ResultCorruption => (FailureCategory.NanOrInf, CausalRole.Initiating),
            FailureKind.CudaOom => (FailureCategory.CudaOom, CausalRole.Initiating),
            FailureKind.Timeout => (FailureCategory.NcclTimeout, CausalRole.Cascade),
            FailureKind.TransientNetwork => (FailureCategory.IbNetworkError, CausalRole.Initiating),
            FailureKind.SlaBreach => null,
            _ => (FailureCategory.Unknown, CausalRole.Cascade),
        };

    private static List<string> Notes(List<SourceSummary> sources, bool found)
    {
        var notes = new List<string>();
        foreach (SourceSummary source in sources)
        {
            if (source.BinaryLinesSkipped > 0)
            {
                notes.Add(source.Lines == source.BinaryLinesSkipped
                    ? $"{source.Name}: looks binary; all {source.BinaryLinesSkipped} lines skipped"
                    : $"{source.Name}: {source.BinaryLinesSkipped} binary lines skipped");
            }

            if (source.LongLinesTruncated > 0)
            {
                notes.Add($"{source.Name}: {source.LongLinesTruncated} lines longer than the line cap were cut");
            }
        }

        if (!found)
        {
            notes.Add($"no failure evidence found in {sources.Sum(s => s.Lines)} lines from {sources.Count} source(s)");
        }

        return notes;
    }
}
