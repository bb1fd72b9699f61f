using System.Reflection;

namespace CclAgent.Runtime.Setup;

/// <summary>
/// A workload command that starts with <c>ccl-agent</c> (e.g. <c>ccl-agent sim nccl-tests …</c>, the simulated
/// stand-in for nccl-tests) runs this same ccl-agent build, whether it was started as the apphost, with
/// <c>dotnet ccl-agent.dll</c> or with <c>dotnet run</c>, so the examples work from a fresh clone.
/// </summary>
internal static class SelfCommand
{
    public const string Name = "ccl-agent";

    public static IReadOnlyList<string> Resolve(IReadOnlyList<string> argv)
    {
        if (argv.Count == 0 || argv[0] != Name)
        {
            return argv;
        }

        return [.. Self(), .. argv.Skip(1)];
    }

    private static string[] Self()
    {
        string? host = Environment.ProcessPath;
        string assembly = Assembly.GetEntryAssembly()?.Location ?? string.Empty;
        if (host is not null && Path.GetFileNameWithoutExtension(host) == Name)
        {
            return [host];
        }

        // Started as `dotnet ccl-agent.dll`: run the same host with the same assembly.
        return host is not null && assembly.Length > 0 ? [host, assembly] : [Name];
    }
}
