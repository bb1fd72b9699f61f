namespace CclAgent.Runtime.Execution.Launchers;

/// <summary>What a launcher wraps for one step.</summary>
/// <param name="Command">The job's own argv (program first).</param>
/// <param name="ExportedVariables">Names of the variables set for this step (workload env, NCCL settings) that must reach every rank.</param>
/// <param name="JobName">A name unique to this run and step, so a scheduler job can be found and cancelled.</param>
/// <param name="FilePrefix">Path prefix of this step's files (<c>…/steps/step_3</c>), for launcher side files.</param>
public sealed record LaunchRequest(IReadOnlyList<string> Command, IReadOnlyList<string> ExportedVariables, string JobName, string FilePrefix);
