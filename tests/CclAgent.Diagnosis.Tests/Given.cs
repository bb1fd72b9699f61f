using CclAgent.Diagnosis.Reports;
using CclAgent.Diagnosis.Sources;

namespace CclAgent.Diagnosis.Tests;

/// <summary>Builds logs for tests: a few lines of steady training, then the excerpt under test.</summary>
internal static class Given
{
    public static string Training(int steps, int start = 1, double loss = 2.5) =>
        string.Join('\n', Enumerable.Range(start, steps).Select(i => FormattableString.Invariant($"[2024-05-01 10:00:{i % 60:00}] step {i} | loss: {loss - (i * 0.001):0.0000} | grad_norm: {1.0 + (i % 5 * 0.05):0.00} | lr: 3.0e-04")));

    public static DiagnosisReport Diagnose(params (string Name, string Text)[] logs) =>
        Diagnoser.Diagnose(logs.Select(l => LogSource.FromText(l.Name, l.Text)));

    public static DiagnosisReport Diagnose(string text) => Diagnose(("train.log", text));
}
