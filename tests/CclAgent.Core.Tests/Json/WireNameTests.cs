using System.Text.Json;
using CclAgent.Core.Json;
using CclAgent.Core.Runs;
using CclAgent.Core.Steps;

namespace CclAgent.Core.Tests.Json;

public sealed class WireNameTests
{
    [Fact]
    public void The_wire_name_is_the_json_spelling()
    {
        WireName.Of(StepStatus.SlaBreach).Should().Be("sla_breach");
        JsonSerializer.Serialize(StepStatus.SlaBreach).Should().Be("\"sla_breach\"");
        WireName.Of(RunStatus.JobFailed).Should().Be("job_failed");
    }

    [Fact]
    public void A_wire_name_parses_back_and_an_unknown_one_does_not()
    {
        WireName.TryParse("confirm", out StepKind kind).Should().BeTrue();
        kind.Should().Be(StepKind.Confirm);
        WireName.TryParse("Confirm", out StepKind _).Should().BeFalse();
        WireName.TryParse<StepKind>(null, out _).Should().BeFalse();
    }

    [Fact]
    public void All_lists_the_spellings_in_declaration_order() =>
        WireName.All<StepKind>().Should().Equal("baseline", "trial", "confirm");
}
