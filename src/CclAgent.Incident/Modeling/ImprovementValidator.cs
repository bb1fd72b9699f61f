using System.Text.Json.Nodes;
using CclAgent.Incident.Tools;

namespace CclAgent.Incident.Modeling;

/// <summary>
/// Pre vs post with the noise of the measurements: a change counts only beyond 2σ of the difference of two
/// noisy readings (σ of each reading: docs/incident.md, "Validation"). It sees telemetry only, never the fix's
/// expected_impact, so it cannot agree with the planner by construction.
/// </summary>
internal static class ImprovementValidator
{
    private static readonly (string Field, string Quantile, double Sigma, bool LowerIsBetter)[] Metrics =
    [
        ("latency_ms", "p50", 0.03, true),
        ("latency_ms", "p95", 0.05, true),
        ("latency_ms", "p99", 0.08, true),
        ("ttft_ms", "p95", 0.05, true),
        ("tpot_ms", "p50", 0.03, true),
        ("throughput_rps", string.Empty, 0.03, false),
    ];

    /// <summary>Absolute σ of an error-rate reading (a few requests in a hundred).</summary>
    private const double ErrorRateSigma = 0.01;

    public static JsonObject Validate(JsonObject? pre, JsonObject? post)
    {
        if (pre is null || post is null)
        {
            return Result(ValidationStatus.Unknown, new JsonObject(), pre is null ? "no pre-incident telemetry to compare with" : "no post-fix telemetry (the model could not predict it)");
        }

        var deltas = new JsonObject();
        var better = new List<string>();
        var worse = new List<string>();
        foreach (var (field, quantile, sigma, lowerIsBetter) in Metrics)
        {
            string path = quantile.Length == 0 ? field : $"{field}.{quantile}";
            if (ToolArgs.Number(pre, path) is not double a || ToolArgs.Number(post, path) is not double b || a <= 0)
            {
                continue;
            }

            double relative = (b - a) / a;
            double band = 2 * Math.Sqrt(2) * sigma;
            deltas[path] = new JsonObject { ["pre"] = a, ["post"] = b, ["relative"] = Math.Round(relative, 4), ["noise_band"] = Math.Round(band, 4) };
            if (Math.Abs(relative) > band)
            {
                ((relative < 0) == lowerIsBetter ? better : worse).Add(path);
            }
        }

        if (ToolArgs.Number(pre["error_rate"]) is double e0 && ToolArgs.Number(post["error_rate"]) is double e1)
        {
            double band = 2 * Math.Sqrt(2) * ErrorRateSigma;
            deltas["error_rate"] = new JsonObject { ["pre"] = e0, ["post"] = e1, ["delta"] = Math.Round(e1 - e0, 4), ["noise_band"] = Math.Round(band, 4) };
            if (Math.Abs(e1 - e0) > band)
            {
                (e1 < e0 ? better : worse).Add("error_rate");
            }
        }

        if (deltas.Count == 0)
        {
            return Result(ValidationStatus.Unknown, deltas, "pre and post telemetry share no metric");
        }

        if (better.Count > 0 && worse.Count == 0)
        {
            return Result(ValidationStatus.Improved, deltas, $"improved beyond measurement noise: {string.Join(", ", better)}");
        }

        return Result(ValidationStatus.NotImproved, deltas, worse.Count > 0
            ? $"worse beyond noise: {string.Join(", ", worse)}{(better.Count > 0 ? $"; better: {string.Join(", ", better)}" : string.Empty)}"
            : "no metric changed beyond measurement noise");
    }

    private static JsonObject Result(ValidationStatus status, JsonObject deltas, string summary) => ToolResult.Success(new JsonObject
    {
        ["validation_status"] = status switch { ValidationStatus.Improved => "improved", ValidationStatus.NotImproved => "not_improved", _ => "unknown" },
        ["deltas"] = deltas,
        ["summary"] = summary,
    });
}
