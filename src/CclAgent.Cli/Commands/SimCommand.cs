using System.CommandLine;

namespace CclAgent.Cli.Commands;

/// <summary>`ccl-agent sim`: the simulator's stand-ins for real tools (`nccl-tests`, `train`).</summary>
internal sealed class SimCommand : Command
{
    public SimCommand()
        : base("sim", "Run the NCCL simulator as a stand-in for real tools.")
    {
        Subcommands.Add(new SimNcclTestsCommand());
        Subcommands.Add(new SimTrainCommand());
    }
}
