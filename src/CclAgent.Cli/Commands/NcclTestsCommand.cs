using System.CommandLine;

namespace CclAgent.Cli.Commands;

/// <summary>`ccl-agent nccltests`: tools for nccl-tests output (today: `parse`).</summary>
internal sealed class NcclTestsCommand : Command
{
    public NcclTestsCommand()
        : base("nccltests", "Read nccl-tests (*_perf) output.")
    {
        Subcommands.Add(new NcclTestsParseCommand());
    }
}
