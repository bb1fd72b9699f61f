using System.Text.Json.Nodes;
using CclAgent.Incident.Modeling;

namespace CclAgent.Incident.Tests.Modeling;

public sealed class ImprovementValidatorTests
{
    private static JsonObject Telemetry(double p95, double tpot, double throughput) => new()
    {
        ["latency_ms"] = new JsonObject { ["p50"] = p95 / 2, ["p95"] = p95, ["p99"] = p95 * 1.3 },
        ["tpot_ms"] = new JsonObject { ["p50"] = tpot },
        ["throughput_rps"] = throughput,
    };

    private static string Status(JsonObject result) => result["validation_status"]!.ToString();

    [Fact]
    public void Lower_end_to_end_latency_with_slower_decode_steps_is_improved_and_names_the_trade_off()
    {
        JsonObject result = ImprovementValidator.Validate(Telemetry(4000, 40, 10), Telemetry(2000, 48, 14));

        Status(result).Should().Be("improved");
        result["summary"]!.ToString().Should().Contain("trade-off").And.Contain("tpot_ms.p50");
    }

    [Fact]
    public void A_change_inside_the_noise_band_is_not_improved()
    {
        Status(ImprovementValidator.Validate(Telemetry(4000, 40, 10), Telemetry(3900, 40, 10.1))).Should().Be("not_improved");
    }

    [Fact]
    public void Only_a_per_phase_metric_better_is_not_improved()
    {
        Status(ImprovementValidator.Validate(Telemetry(4000, 40, 10), Telemetry(4000, 30, 10))).Should().Be("not_improved");
    }

    [Fact]
    public void A_worse_user_facing_metric_is_not_improved_even_when_others_are_better()
    {
        Status(ImprovementValidator.Validate(Telemetry(4000, 40, 10), Telemetry(2000, 40, 7))).Should().Be("not_improved");
    }

    [Fact]
    public void Missing_post_telemetry_is_unknown()
    {
        Status(ImprovementValidator.Validate(Telemetry(4000, 40, 10), null)).Should().Be("unknown");
    }
}
