using CclAgent.Incident.Scenarios;
using CclAgent.Testing;

namespace CclAgent.Incident.Tests.Scenarios;

public sealed class ScenarioReaderTests
{
    [Fact]
    public void An_unknown_field_names_the_file_and_its_json_path()
    {
        using var dir = new TempDirectory();
        dir.Write("runtime.json", """{"running": 3, "worker_health": {"healthy": 1, "stcuk": 0}}""");

        Action read = () => ScenarioReader.Read(dir.Path);

        read.Should().Throw<IncidentInputException>().WithMessage("*runtime.json: $.worker_health.stcuk: unknown field; expected one of healthy, stuck");
    }

    [Fact]
    public void A_wrong_type_says_what_was_expected()
    {
        using var dir = new TempDirectory();
        dir.Write("pre_telemetry.json", """{"latency_ms": {"p95": "slow"}}""");

        Action read = () => ScenarioReader.Read(dir.Path);

        read.Should().Throw<IncidentInputException>().WithMessage("*pre_telemetry.json: $.latency_ms.p95: expected a number, got a string (\"slow\")");
    }

    [Fact]
    public void Invalid_json_names_the_file_and_line()
    {
        using var dir = new TempDirectory();
        dir.Write("scenario.json", "{\"name\": \"x\",\n \"service\": }");

        Action read = () => ScenarioReader.Read(dir.Path);

        read.Should().Throw<IncidentInputException>().WithMessage("*scenario.json: $*: invalid JSON (line 2)*");
    }

    [Fact]
    public void A_service_outside_the_enum_is_refused()
    {
        using var dir = new TempDirectory();
        dir.Write("scenario.json", """{"service": "triton"}""");

        Action read = () => ScenarioReader.Read(dir.Path);

        read.Should().Throw<IncidentInputException>().WithMessage("*$.service: expected one of vllm|training|other, got a string (\"triton\")");
    }

    [Fact]
    public void Every_shipped_scenario_reads_cleanly()
    {
        foreach (string dir in IncidentEval.Scenarios.All())
        {
            ScenarioReader.Read(dir).Meta.Should().NotBeNull(dir);
        }
    }
}
