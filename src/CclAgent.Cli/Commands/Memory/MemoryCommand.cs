using System.CommandLine;

namespace CclAgent.Cli.Commands.Memory;

/// <summary>`ccl-agent memory`: inspect, move and clean the cross-run memory database.</summary>
internal sealed class MemoryCommand : Command
{
    public MemoryCommand(TimeProvider time)
        : base("memory", "Inspect and maintain the cross-run memory: list, show, export, import, prune, verify.")
    {
        Subcommands.Add(new MemoryListCommand(time));
        Subcommands.Add(new MemoryShowCommand(time));
        Subcommands.Add(new MemoryExportCommand(time));
        Subcommands.Add(new MemoryImportCommand(time));
        Subcommands.Add(new MemoryPruneCommand(time));
        Subcommands.Add(new MemoryVerifyCommand(time));
    }
}
