using System.Text.Json;
using CclAgent.Core.Failures;

namespace CclAgent.Core.Tests.Failures;

public sealed class FailureClassTests
{
    [Theory]
    [InlineData(0, null)]
    [InlineData(1, "exit_code_1")]
    [InlineData(137, "signal_9")]
    [InlineData(139, "signal_11")]
    [InlineData(255, "exit_code_255")]
    public void Exit_codes_map_to_failure_classes(int code, string? expected) =>
        FailureClass.ForExitCode(code)?.Name.Should().Be(expected);

    [Theory]
    [InlineData("timeout", FailureKind.Timeout)]
    [InlineData("nccl_init_error", FailureKind.NcclInitError)]
    [InlineData("transient_network", FailureKind.TransientNetwork)]
    [InlineData("sla_breach", FailureKind.SlaBreach)]
    [InlineData("exit_code_3", FailureKind.ExitCode)]
    [InlineData("signal_9", FailureKind.Signal)]
    public void Every_spelling_reads_back_to_its_kind_and_writes_the_same(string spelling, FailureKind kind)
    {
        FailureClass parsed = FailureClass.Parse(spelling);

        parsed.Kind.Should().Be(kind);
        parsed.Name.Should().Be(spelling);
    }

    [Theory]
    [InlineData("hang")]
    [InlineData("exit_code")]
    [InlineData("exit_code_x")]
    [InlineData("")]
    public void An_unrecognised_spelling_is_unknown_rather_than_an_error(string spelling) =>
        FailureClass.Parse(spelling).Kind.Should().Be(FailureKind.Unknown);

    [Fact]
    public void Json_keeps_the_one_string_spelling_of_run_directories()
    {
        FailureClass? value = new FailureClass(FailureKind.Signal, 9);

        string json = JsonSerializer.Serialize(value);

        json.Should().Be("\"signal_9\"");
        JsonSerializer.Deserialize<FailureClass?>(json).Should().Be(value);
    }
}
