namespace CclAgent.Runtime.Execution.Launchers;

/// <summary>Turns the job's own argv into the argv that starts it under a launcher (mpirun, torchrun, srun, sbatch).</summary>
public interface ILauncher
{
    /// <summary>"local", "mpirun", "torchrun", "srun", "sbatch".</summary>
    string Name { get; }

    /// <summary>A pure function of its input: the argv and side files for one step. Nothing is started or written here.</summary>
    LaunchPlan Plan(LaunchRequest request);
}
