namespace CclAgent.Cli.Tests;

/// <summary>
/// Tests that start real multi-process jobs (mpirun ranks, Slurm steps) run one class at a time: on a 2-core machine two
/// such jobs at once starve each other past their own time limits (a Ctrl+C test waits 60 s for the agent to exit).
/// </summary>
[CollectionDefinition(Name)]
public sealed class RealProcessTests
{
    public const string Name = "real processes";
}
