using CclAgent.Incident.Metrics;

namespace CclAgent.Incident.Tests.Metrics;

public sealed class PrometheusTextParserTests
{
    // Real vLLM /metrics excerpt: vllm-project/production-stack#318 (time_per_output_token buckets, Qwen2.5-Coder-32B).
    private const string VllmExcerpt = """
        # HELP vllm:time_per_output_token_seconds Histogram of time per output token in seconds.
        # TYPE vllm:time_per_output_token_seconds histogram
        vllm:time_per_output_token_seconds_bucket{le="0.01",model_name="Qwen/Qwen2.5-Coder-32B-Instruct"} 0.0
        vllm:time_per_output_token_seconds_bucket{le="0.025",model_name="Qwen/Qwen2.5-Coder-32B-Instruct"} 3328.0
        vllm:time_per_output_token_seconds_bucket{le="0.05",model_name="Qwen/Qwen2.5-Coder-32B-Instruct"} 131575.0
        vllm:time_per_output_token_seconds_bucket{le="0.075",model_name="Qwen/Qwen2.5-Coder-32B-Instruct"} 132336.0
        vllm:time_per_output_token_seconds_bucket{le="0.1",model_name="Qwen/Qwen2.5-Coder-32B-Instruct"} 133907.0
        vllm:time_per_output_token_seconds_bucket{le="0.15",model_name="Qwen/Qwen2.5-Coder-32B-Instruct"} 134962.0
        vllm:time_per_output_token_seconds_bucket{le="0.2",model_name="Qwen/Qwen2.5-Coder-32B-Instruct"} 134965.0
        vllm:time_per_output_token_seconds_bucket{le="0.3",model_name="Qwen/Qwen2.5-Coder-32B-Instruct"} 134978.0
        vllm:time_per_output_token_seconds_bucket{le="0.4",model_name="Qwen/Qwen2.5-Coder-32B-Instruct"} 134980.0
        vllm:time_per_output_token_seconds_bucket{le="0.5",model_name="Qwen/Qwen2.5-Coder-32B-Instruct"} 134983.0
        vllm:time_per_output_token_seconds_bucket{le="0.75",model_name="Qwen/Qwen2.5-Coder-32B-Instruct"} 134993.0
        vllm:time_per_output_token_seconds_bucket{le="1.0",model_name="Qwen/Qwen2.5-Coder-32B-Instruct"} 135001.0
        vllm:time_per_output_token_seconds_bucket{le="+Inf",model_name="Qwen/Qwen2.5-Coder-32B-Instruct"} 135001.0
        vllm:time_per_output_token_seconds_count{model_name="Qwen/Qwen2.5-Coder-32B-Instruct"} 135001.0
        vllm:time_per_output_token_seconds_sum{model_name="Qwen/Qwen2.5-Coder-32B-Instruct"} 5187.2
        # HELP vllm:num_requests_waiting Number of requests waiting to be processed.
        # TYPE vllm:num_requests_waiting gauge
        vllm:num_requests_waiting{model_name="Qwen/Qwen2.5-Coder-32B-Instruct"} 0.0
        """;

    [Fact]
    public void A_real_vllm_scrape_parses_into_typed_histogram_series_and_gauges()
    {
        var (samples, help, malformed) = PrometheusTextParser.Parse(VllmExcerpt);

        malformed.Should().Be(0);
        samples.Should().HaveCount(16);
        samples.Where(s => s.Name == "vllm:time_per_output_token_seconds_bucket").Should().OnlyContain(s => s.Type == "histogram");
        samples.Single(s => s.Name == "vllm:num_requests_waiting").Type.Should().Be("gauge");
        samples[0].Labels["model_name"].Should().Be("Qwen/Qwen2.5-Coder-32B-Instruct");
        help["vllm:num_requests_waiting"].Should().Be("Number of requests waiting to be processed.");
        samples.Single(s => s.Name.EndsWith("_bucket", StringComparison.Ordinal) && s.Labels["le"] == "+Inf").Value.Should().Be(135001);
    }

    [Fact]
    public void Histogram_quantiles_interpolate_inside_the_bucket_like_histogram_quantile()
    {
        var (samples, _, _) = PrometheusTextParser.Parse(VllmExcerpt);
        Histogram h = Histogram.From(samples, "vllm:time_per_output_token_seconds")!;

        h.Mean.Should().BeApproximately(5187.2 / 135001, 1e-9);
        // rank 67500.5 lies in (0.025, 0.05]: 0.025 + 0.025 * (67500.5 - 3328) / (131575 - 3328).
        h.Quantile(0.5)!.Value.Should().BeApproximately(0.025 + (0.025 * (67500.5 - 3328) / (131575 - 3328)), 1e-9);
    }

    [Fact]
    public void Label_values_unescape_backslash_quote_and_newline_and_help_keeps_quotes()
    {
        const string text = "# HELP m A \"quoted\" help\\nline with \\\\ slash\n# TYPE m counter\nm_total{path=\"C:\\\\dir\",msg=\"say \\\"hi\\\"\\n\",odd=\"a,b}\"} 3 1700000000\n";
        var (samples, help, malformed) = PrometheusTextParser.Parse(text);

        malformed.Should().Be(0);
        samples.Single().Labels["path"].Should().Be("C:\\dir");
        samples.Single().Labels["msg"].Should().Be("say \"hi\"\n");
        samples.Single().Labels["odd"].Should().Be("a,b}");
        samples.Single().Type.Should().Be("counter");
        help["m"].Should().Be("A \"quoted\" help\nline with \\ slash");
    }

    [Fact]
    public void Summary_quantiles_and_special_values_parse_and_a_broken_line_is_counted()
    {
        const string text = "# TYPE rpc summary\nrpc{quantile=\"0.99\"} NaN\nrpc_sum 1.5e3\nrpc_count +Inf\nbroken{a=\"x} 1\n";
        var (samples, _, malformed) = PrometheusTextParser.Parse(text);

        samples.Should().HaveCount(3).And.OnlyContain(s => s.Type == "summary");
        double.IsNaN(samples[0].Value).Should().BeTrue();
        samples[1].Value.Should().Be(1500);
        malformed.Should().Be(1);
    }
}
