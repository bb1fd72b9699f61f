using CclAgent.Tuning.Execution;

namespace CclAgent.Tuning.Tests.Execution;

public sealed class ExitClassificationTests
{
    [Theory]
    [InlineData(0, null)]
    [InlineData(1, "exit_code_1")]
    [InlineData(137, "signal_9")]
    [InlineData(139, "signal_11")]
    [InlineData(255, "exit_code_255")]
    public void Exit_codes_map_to_failure_classes(int code, string? failureClass) =>
        Assert.Equal(failureClass, ExitClassification.ForExitCode(code));
}
