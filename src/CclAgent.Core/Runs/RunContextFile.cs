using CclAgent.Core.Json;

namespace CclAgent.Core.Runs;

/// <summary>
/// The one writer of run_context.json: written when the run starts and completed once when it ends,
/// so a reader always finds either a running run or a finished one with its status.
/// </summary>
public sealed class RunContextFile(RunDirectory run, RunContext started)
{
    public RunContext Current { get; private set; } = started;

    public Task StartAsync() => WriteAsync(Current);

    public Task FinishAsync(RunStatus status, DateTimeOffset finishedAt, string? contextSignature = null) =>
        WriteAsync(Current = Current with { Status = status, FinishedAt = finishedAt, ContextSignature = contextSignature ?? Current.ContextSignature });

    // Not cancellable: the record of a cancelled run must still be written.
    private Task WriteAsync(RunContext context) => ArtifactJson.WriteAsync(run.RunContextFile, context, CoreJsonContext.Default.RunContext, CancellationToken.None);
}
