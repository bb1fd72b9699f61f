using CclAgent.Core.Failures;
using CclAgent.Tuning.Records;

namespace CclAgent.Tuning.Diagnosis;

/// <summary>Diagnoses a failed step from its failure class and text; the avoid-rule learned from it carries the category.</summary>
public interface IStepDiagnoser
{
    StepDiagnosis Diagnose(int stepNumber, FailureClass? failureClass, string? message);
}
