namespace CclAgent.Tuning.Jobs;

/// <summary>
/// What an in-job run did: how many times the job was launched (the first launch and every restart), how many windows
/// were measured inside a running job, and whether the plugin's decision log matched the table of every window
/// (null when the job has no decision log to check, as on the simulated cluster).
/// </summary>
public sealed record InJobCounts(int JobLaunches, int Windows, bool? DecisionsVerified);
