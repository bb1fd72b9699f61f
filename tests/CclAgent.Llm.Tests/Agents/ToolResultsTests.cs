using System.Text.Json.Nodes;
using CclAgent.Llm.Agents;

namespace CclAgent.Llm.Tests.Agents;

public sealed class ToolResultsTests
{
    [Fact]
    public void A_nested_result_is_masked_without_reparenting_its_children()
    {
        var result = new JsonObject
        {
            ["status"] = "success",
            ["lines"] = new JsonArray(new JsonObject { ["line"] = 1, ["text"] = "HF_TOKEN=hf_PlantedCanaryTokenAbCdEf0123456789" }),
            ["config"] = new JsonObject { ["runtime"] = new JsonObject { ["max_num_seqs"] = 256 } },
        };

        ToolOutcome outcome = ToolResults.FromResult(result, text => text.Replace("hf_PlantedCanaryTokenAbCdEf0123456789", "***", StringComparison.Ordinal), 32_000);

        outcome.Status.Should().Be(AgentToolStatus.Success);
        outcome.ModelView.GetRawText().Should().Contain("max_num_seqs").And.NotContain("hf_PlantedCanary");
    }
}
