using CclAgent.Incident.Signals;

namespace CclAgent.Incident.Tests.Signals;

public sealed class ServingLogSignalsTests
{
    private static ServingLogSignals Read(params string[] lines)
    {
        var signals = new ServingLogSignals();
        for (int i = 0; i < lines.Length; i++)
        {
            signals.Inspect(new SignalLine("logs/service.log", i + 1, lines[i], i));
        }

        return signals;
    }

    [Fact]
    public void An_SGLang_retraction_printed_by_every_tensor_parallel_rank_counts_as_one_event()
    {
        ServingLogSignals s = Read(
            "[2025-01-06 02:58:44 TP0] Decode out of memory happened. #retracted_reqs: 1, #new_token_ratio: 0.0980 -> 0.9446",
            "[2025-01-06 02:58:44 TP5] Decode out of memory happened. #retracted_reqs: 1, #new_token_ratio: 0.0980 -> 0.9446",
            "[2025-01-06 02:59:10 TP0] Decode out of memory happened. #retracted_reqs: 1, #new_token_ratio: 0.1207 -> 0.5001");

        s.Retractions.Should().HaveCount(3);
        s.PreemptionEvents.Should().Be(2);
    }

    [Fact]
    public void The_SGLang_stats_line_gives_kv_usage_running_and_queued_requests()
    {
        ServingLogSignals s = Read("[2025-01-06 02:58:11 TP0] Decode batch. #running-req: 2, #token: 307481, token usage: 1.00, gen throughput (token/s): 10.92, #queue-req: 7");

        s.MaxLoggedKvUsage.Should().Be(1.0);
        s.LastLoggedRunning.Should().Be(2);
        s.MaxLoggedWaiting.Should().Be(7);
    }

    [Fact]
    public void The_cumulative_count_in_a_vllm_preemption_warning_outweighs_the_one_warning_kept()
    {
        ServingLogSignals s = Read("WARNING 03-06 09:14:02 scheduler.py:1754] Sequence group 221 is preempted by PreemptionMode.RECOMPUTE mode because there is not enough KV cache space. total_num_cumulative_preemption=101");

        s.PreemptionEvents.Should().Be(101);
    }

    [Fact]
    public void A_TGI_warmup_memory_error_is_a_memory_error_and_names_the_flag_to_lower_as_a_config_key()
    {
        ServingLogSignals s = Read("Error: Warmup(Generation(\"Not enough memory to handle 1024 prefill tokens. You need to decrease `--max-batch-prefill-tokens`\"))");

        s.MemoryErrors.Should().ContainSingle();
        s.KnobsToLower.Should().Equal("max_batch_prefill_tokens");
    }

    [Fact]
    public void A_device_plugin_xid_critical_error_is_read_with_its_code_and_device()
    {
        ServingLogSignals s = Read("I0809 13:32:51.873541       1 health.go:185] XidCriticalError: Xid=94 on Device=GPU-3b6ec030-5adc-1847-e155-79f635584b4e; marking device as unhealthy.");

        s.ReportedXids.Should().ContainSingle().Which.Should().Match<(int Code, string? Device, SignalLine Line)>(x => x.Code == 94 && x.Device == "GPU-3b6ec030-5adc-1847-e155-79f635584b4e");
    }

    [Fact]
    public void A_DCGM_clocks_event_for_a_power_or_thermal_violation_is_a_throttle_signal()
    {
        ServingLogSignals s = Read(
            "ErrorCode:DCGM_FR_CLOCK_THROTTLE_POWER GPU:0 Detected clocks event due to power violation in GPU 0. Monitor the power conditions.",
            "[[Health]] Detected a WARNING in health system Thermal: 'Detected clocks event due to thermal violation in GPU 2.",
            "Clocks Event Reasons: Idle : Active");

        s.Throttle.Should().HaveCount(2);
    }
}
