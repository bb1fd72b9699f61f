using System.Text.Json.Nodes;
using CclAgent.Incident.Agent;
using CclAgent.Incident.Scenarios;
using CclAgent.Incident.Tools;

namespace CclAgent.Incident.Tests.IncidentEval;

/// <summary>Each tool made to fail in turn: the run still completes and the failure is in agent_trace.</summary>
public sealed class FaultInjectionTests
{
    public static TheoryData<string> ToolNames()
    {
        var data = new TheoryData<string>();
        foreach (IIncidentTool tool in IncidentToolSet.Create(new Scenario { Directory = "none" }))
        {
            data.Add(tool.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ToolNames))]
    public async Task A_failing_tool_is_recorded_and_the_run_completes(string failing)
    {
        Scenario scenario = ScenarioReader.Read(Path.Combine(Scenarios.Root, "vllm-kv-cache-preemption"));
        IncidentOutcome outcome = await IncidentAgent.RunAsync(scenario, new IncidentRunOptions(), TimeProvider.System,
            tools => tools.Select(t => t.Name == failing ? new ThrowingTool(t) : t).ToList(), CancellationToken.None);

        AgentResult result = outcome.Result;
        result.Rounds.Should().BeInRange(1, 10);
        result.Diagnosis.Category.Should().NotBeNullOrEmpty();
        result.AgentTrace.Should().Contain(e => e.Tool == failing && e.Status == ToolStatus.Error && e.Error!["kind"]!.ToString() == "tool_failed");
    }

    private sealed class ThrowingTool(IIncidentTool inner) : IIncidentTool
    {
        public string Name => inner.Name;

        public string Description => inner.Description;

        public JsonObject ArgsSchema => inner.ArgsSchema;

        public Task<JsonNode> InvokeAsync(JsonObject args, CancellationToken cancellationToken) => throw new IOException("injected failure");
    }
}
