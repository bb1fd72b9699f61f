namespace CclAgent.Runtime.Execution.Launchers;

/// <summary>No launcher: the command is the job (a script that launches its own ranks, or a single process).</summary>
public sealed class DirectLauncher : ILauncher
{
    public static DirectLauncher Instance { get; } = new();

    public string Name => "local";

    public LaunchPlan Plan(LaunchRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new LaunchPlan(request.Command);
    }
}
