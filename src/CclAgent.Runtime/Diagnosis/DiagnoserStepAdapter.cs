using CclAgent.Core.Failures;
using CclAgent.Diagnosis;
using CclAgent.Diagnosis.Classification;
using CclAgent.Tuning.Diagnosis;
using CclAgent.Tuning.Records;

namespace CclAgent.Runtime.Diagnosis;

/// <summary>Step diagnosis by the same engine as <c>ccl-agent diagnose</c>, over the step's failure class and message.</summary>
public sealed class DiagnoserStepAdapter : IStepDiagnoser
{
    public static DiagnoserStepAdapter Instance { get; } = new();

    public StepDiagnosis Diagnose(int stepNumber, FailureClass? failureClass, string? message)
    {
        Verdict verdict = Diagnoser.DiagnoseStepFailure(stepNumber, failureClass?.Name, message).Verdict;
        return new StepDiagnosis(verdict.Category, verdict.RootCause, verdict.Confidence, verdict.Domain, verdict.Role);
    }
}
