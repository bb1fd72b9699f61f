using System.Text.Json.Nodes;
using CclAgent.Incident.Agent;
using CclAgent.Incident.Scenarios;
using CclAgent.Incident.Tools;

namespace CclAgent.Incident.Tests.Agent;

public sealed class ToolRunnerTests
{
    private static ToolRunner Runner(string? serviceLog = "INFO ok\n") =>
        new(IncidentToolSet.Create(new Scenario { Directory = "x", ServiceLog = serviceLog }), TimeProvider.System);

    [Fact]
    public async Task An_identical_repeated_call_is_refused_with_a_structured_error()
    {
        ToolRunner runner = Runner();
        (await runner.CallAsync(1, "fetch_service_logs", new JsonObject { ["limit"] = 5, ["level"] = "INFO" }, default))["status"]!.ToString().Should().Be("success");
        JsonObject again = await runner.CallAsync(2, "fetch_service_logs", new JsonObject { ["level"] = "INFO", ["limit"] = 5 }, default);

        again["error"]!["kind"]!.ToString().Should().Be("repeated_call");
        runner.RepeatedCalls.Should().Be(1);
        runner.Entries.Select(e => e.Round).Should().Equal(1, 2);
    }

    [Fact]
    public async Task An_absent_source_is_no_data_not_an_error()
    {
        JsonObject result = await Runner(serviceLog: null).CallAsync(1, "fetch_service_logs", new JsonObject(), default);

        result["status"]!.ToString().Should().Be("no_data");
    }

    [Fact]
    public async Task An_unknown_tool_is_a_structured_error()
    {
        JsonObject result = await Runner().CallAsync(1, "rm_rf", new JsonObject(), default);

        result["error"]!["kind"]!.ToString().Should().Be("unknown_tool");
    }

    [Fact]
    public async Task Secrets_in_log_lines_and_arguments_are_masked()
    {
        ToolRunner runner = Runner("HF_TOKEN=hf_CANARYxQ7pL2mN9vR4tY6uI8oP0aS3dF5gH1jK\nurl https://u:topsecretpw@host/x\n");
        JsonObject result = await runner.CallAsync(1, "fetch_service_logs", new JsonObject { ["topics"] = new JsonArray("password=hunter2") }, default);
        JsonObject all = await runner.CallAsync(1, "fetch_service_logs", new JsonObject(), default);

        string text = result.ToJsonString() + all.ToJsonString() + string.Join("", runner.Entries.Select(e => e.Args.ToJsonString())) + string.Join("", runner.ModelViews.Select(v => v.Text));
        text.Should().NotContain("CANARYxQ7").And.NotContain("topsecretpw").And.NotContain("hunter2");
    }

    [Fact]
    public void Output_over_the_cap_is_cut_and_marked_truncated()
    {
        var lines = new JsonArray();
        for (int i = 0; i < 5000; i++)
        {
            lines.Add(new JsonObject { ["line"] = i, ["text"] = new string('x', 80) });
        }

        string capped = ModelOutputCap.Cap(new JsonObject { ["status"] = "success", ["lines"] = lines });

        capped.Length.Should().BeLessThanOrEqualTo(ModelOutputCap.MaxChars);
        JsonNode.Parse(capped)!["truncated"]!.GetValue<bool>().Should().BeTrue();
    }
}
