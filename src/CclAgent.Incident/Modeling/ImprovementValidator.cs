using System.Text.Json.Nodes;
using CclAgent.Incident.Tools;

namespace CclAgent.Incident.Modeling;

/// <summary>
/// Pre vs post with the noise of the measurements: a change counts only beyond 2σ of the difference of two
/// noisy readings (σ of each reading: docs/incident.md, "Validation"). It sees telemetry only, never the fix's
/// expected_impact, so it cannot agree with the planner by construction. The verdict rests on what users see
/// (end-to-end latency, throughput, errors); per-phase metrics (TTFT, TPOT) only report trade-offs, because a
/// larger batch legitimately lengthens each decode step while it shortens the queue.
/// </summary>
internal static class ImprovementValidator
{
    private static readonly (string Field, string Quantile, double Sigma, bool LowerIsBetter, bool UserFacing)[] Metrics =
    [
        ("latency_ms", "p50", 0.03, true, true),
        ("latency_ms", "p95", 0.05, true, true),
        ("latency_ms", "p99", 0.08, true, true),
        ("ttft_ms", "p95", 0.05, true, false),
        ("tpot_ms", "p50", 0.03, true, false),
        ("throughput_rps", string.Empty, 0.03, false, true),
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
        var tradeOffs = new List<string>();
        int userFacingBetter = 0;
        foreach (var (field, quantile, sigma, lowerIsBetter, userFacing) in Metrics)
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
                bool improved = (relative < 0) == lowerIsBetter;
                (improved ? better : userFacing ? worse : tradeOffs).Add(path);
                userFacingBetter += improved && userFacing ? 1 : 0;
            }
        }

        if (ToolArgs.Number(pre["error_rate"]) is double e0 && ToolArgs.Number(post["error_rate"]) is double e1)
        {
            double band = 2 * Math.Sqrt(2) * ErrorRateSigma;
            deltas["error_rate"] = new JsonObject { ["pre"] = e0, ["post"] = e1, ["delta"] = Math.Round(e1 - e0, 4), ["noise_band"] = Math.Round(band, 4) };
            if (Math.Abs(e1 - e0) > band)
            {
                (e1 < e0 ? better : worse).Add("error_rate");
                userFacingBetter += e1 < e0 ? 1 : 0;
            }
        }

        if (deltas.Count == 0)
        {
            return Result(ValidationStatus.Unknown, deltas, "pre and post telemetry share no metric");
        }

        if (userFacingBetter > 0 && worse.Count == 0)
        {
            string cost = tradeOffs.Count > 0 ? $"; trade-off (per-phase, worse): {string.Join(", ", tradeOffs)}" : string.Empty;
            return Result(ValidationStatus.Improved, deltas, $"improved beyond measurement noise: {string.Join(", ", better)}{cost}");
        }

        return Result(ValidationStatus.NotImproved, deltas, worse.Count > 0
            ? $"worse beyond noise: {string.Join(", ", worse)}{(better.Count > 0 ? $"; better: {string.Join(", ", better)}" : string.Empty)}"
            : tradeOffs.Count > 0 ? $"only per-phase metrics moved, and for the worse: {string.Join(", ", tradeOffs)}" : "no metric changed beyond measurement noise");
    }

    private static JsonObject Result(ValidationStatus status, JsonObject deltas, string summary) => ToolResult.Success(new JsonObject
    {
        ["validation_status"] = status switch { ValidationStatus.Improved => "improved", ValidationStatus.NotImproved => "not_improved", _ => "unknown" },
        ["deltas"] = deltas,
        ["summary"] = summary,
    });
}
