using System.Runtime.InteropServices;

namespace CclAgent.Cli;

/// <summary>
/// SIGUSR1 asks tune to stop after the step in progress and exit resumable (<see cref="ExitCodes.Preempted"/>):
/// Slurm's <c>--signal=B:USR1@120</c> sends it before a preemption or the time limit, so the run ends between steps
/// instead of being killed inside one. Only where the runtime lets a raw signal number be registered (Linux, macOS).
/// </summary>
internal sealed class StopAfterStepSignal : IDisposable
{
    private readonly CancellationTokenSource _requested = new();
    private readonly PosixSignalRegistration? _registration;

    public StopAfterStepSignal()
    {
        int? usr1 = OperatingSystem.IsLinux() ? 10 : OperatingSystem.IsMacOS() ? 30 : null;
        if (usr1 is { } signal)
        {
            _registration = PosixSignalRegistration.Create((PosixSignal)signal, context =>
            {
                context.Cancel = true; // the default action of SIGUSR1 is to terminate
                _requested.Cancel();
            });
        }
    }

    public CancellationToken Token => _requested.Token;

    public void Dispose()
    {
        _registration?.Dispose();
        _requested.Dispose();
    }
}
