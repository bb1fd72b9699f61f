using System.Runtime.InteropServices;

namespace CclAgent.Cli;

/// <summary>
/// SIGINT (Ctrl+C) and SIGTERM (kill, a scheduler's stop, a container shutdown) both cancel the command's token and
/// nothing else: the command then stops its job tree, finishes run_context.json as cancelled and says so in one
/// line. The runtime's default for both would end the process mid-write; a second signal is absorbed the same way,
/// so an impatient user never gets a half-written run directory or a stack trace (SIGKILL still ends it at once).
/// </summary>
internal sealed class SignalCancellation : IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();
    private readonly PosixSignalRegistration[] _registrations;
    private int _first;

    public SignalCancellation()
    {
        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal), PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal)];
    }

    /// <summary>Cancelled on the first SIGINT or SIGTERM.</summary>
    public CancellationToken Token => _cancellation.Token;

    /// <summary>The first signal received, if any.</summary>
    public PosixSignal? Received
    {
        get
        {
            int first = Volatile.Read(ref _first);
            return first == 0 ? null : (PosixSignal)first;
        }
    }

    /// <summary>A cancelled command's exit code says which signal stopped it: 130 for SIGINT, 143 for SIGTERM, as shells report them.</summary>
    public int ExitCodeFor(int commandExitCode) =>
        commandExitCode == ExitCodes.Cancelled && Received == PosixSignal.SIGTERM ? ExitCodes.Terminated : commandExitCode;

    public void Dispose()
    {
        foreach (PosixSignalRegistration registration in _registrations)
        {
            registration.Dispose();
        }

        _cancellation.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        if (Interlocked.CompareExchange(ref _first, (int)context.Signal, 0) == 0)
        {
            // Off the signal thread: the token's callbacks (killing a job tree) must not run inside the handler.
            _ = Task.Run(_cancellation.Cancel);
        }
    }
}
