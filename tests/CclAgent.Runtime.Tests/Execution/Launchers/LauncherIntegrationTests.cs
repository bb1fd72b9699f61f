using System.Diagnostics;
using CclAgent.Core.Steps;
using CclAgent.Core.Workloads;
using CclAgent.Nccl.Parameters;
using CclAgent.Runtime.Execution;
using CclAgent.Runtime.Execution.Launchers;
using CclAgent.Tuning.Jobs;

namespace CclAgent.Runtime.Tests.Execution.Launchers;

/// <summary>
/// Real launchers on this machine: Open MPI's mpirun and a single-node Slurm cluster, both installed and
/// started by scripts/install-launchers.sh and scripts/slurm-up.sh (run by the README's test command).
/// Each rank writes what it saw to a file, so the test checks the processes really ran with the step's variables.
/// </summary>
[Trait("Category", "Integration")]
public sealed class LauncherIntegrationTests : IDisposable
{
    private const string RankScript = """
        rank="${OMPI_COMM_WORLD_RANK:-${SLURM_PROCID:-x}}"
        echo "$NCCL_ALGO $NCCL_PROTO $CCL_AGENT_STEP $WORKLOAD_VAR" > "$OUT_DIR/rank_$rank"
        if [ "$rank" = 0 ]; then
          for ms in 12.5 12.0 11.5; do echo "CCL_METRICS {\"iteration_ms\": $ms}"; done
        fi
        """;

    private readonly ProcessJobFixture _fx = new();

    public void Dispose() => _fx.Dispose();

    [Fact]
    public async Task Mpirun_np_4_runs_four_ranks_that_all_see_the_step_variables()
    {
        JobResult result = await Runner(new LauncherSpec { Kind = "mpirun", Np = 4, Oversubscribe = true }, RankScript).RunAsync(Request(step: 2), CancellationToken.None);

        Assert.True(result.IsOk, $"{result.FailureClass}: {result.Message}");
        Assert.Equal([12.5, 12.0, 11.5], result.IterationMs);
        AssertRanksSaw(4, "Ring LL128 2 from-workload");
        Assert.Contains("\"-x\"", await File.ReadAllTextAsync(_fx.StepsFile(2, "command.json")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Srun_runs_four_tasks_on_the_local_slurm_cluster_with_the_environment_exported()
    {
        JobResult result = await Runner(new LauncherSpec { Kind = "srun", Np = 4 }, RankScript).RunAsync(Request(step: 1), CancellationToken.None);

        Assert.True(result.IsOk, $"{result.FailureClass}: {result.Message}");
        Assert.Equal([12.5, 12.0, 11.5], result.IterationMs);
        AssertRanksSaw(4, "Ring LL128 1 from-workload");
    }

    [Fact]
    public async Task Sbatch_submits_one_batch_job_waits_for_it_and_reads_its_output_file()
    {
        JobResult result = await Runner(new LauncherSpec { Kind = "sbatch", Np = 2 }, RankScript).RunAsync(Request(step: 5), CancellationToken.None);

        Assert.True(result.IsOk, $"{result.FailureClass}: {result.Message}");
        Assert.Equal([12.5, 12.0, 11.5], result.IterationMs);
        AssertRanksSaw(2, "Ring LL128 5 from-workload");
        Assert.Contains("CCL_METRICS", await File.ReadAllTextAsync(_fx.StepsFile(5, "stdout.log")), StringComparison.Ordinal);
        Assert.True(File.Exists(_fx.StepsFile(5, "sbatch.sh")));
    }

    [Fact]
    public async Task A_hung_mpirun_step_is_killed_at_its_timeout_and_no_rank_survives()
    {
        const string hang = """
            echo $$ > "$OUT_DIR/pid_${OMPI_COMM_WORLD_RANK}"
            sleep 600
            """;
        JobResult result = await Runner(new LauncherSpec { Kind = "mpirun", Np = 4, Oversubscribe = true }, hang, TimeSpan.FromSeconds(4)).RunAsync(Request(step: 1), CancellationToken.None);

        Assert.Equal(JobStatus.TimedOut, result.Status);
        Assert.Equal("timeout", result.FailureClass?.Name);
        for (int rank = 0; rank < 4; rank++)
        {
            int pid = await _fx.WaitForPidAsync($"pid_{rank}");
            Assert.True(await ProcessJobFixture.IsGoneAsync(pid), $"rank {rank} (pid {pid}) outlived the timeout");
        }
    }

    [Fact]
    public async Task A_hung_srun_step_is_cancelled_at_its_timeout_and_leaves_no_job_in_the_queue()
    {
        const string hang = "sleep 600";
        ProcessJobRunner runner = Runner(new LauncherSpec { Kind = "srun", Np = 2 }, hang, TimeSpan.FromSeconds(4));
        JobResult result = await runner.RunAsync(Request(step: 9), CancellationToken.None);

        Assert.Equal(JobStatus.TimedOut, result.Status);
        string jobName = JobNameOf(9);
        Assert.True(await QueueIsEmptyAsync(jobName), $"job {jobName} is still in the Slurm queue");
    }

    private ProcessJobRunner Runner(LauncherSpec launcher, string script, TimeSpan? timeout = null) =>
        new(new ProcessJobOptions
        {
            Command = ["/bin/sh", "-c", script],
            Environment = [new("OUT_DIR", _fx.Directory), new("WORKLOAD_VAR", "from-workload")],
            WorkingDirectory = _fx.Directory,
            StepTimeout = timeout ?? TimeSpan.FromSeconds(120),
            Launcher = LauncherFactory.Create(launcher, runningAsRoot: Environment.UserName == "root", insideSlurmAllocation: false),
            JobName = "ccl-agent-test-" + Path.GetFileName(_fx.Directory),
        }, _fx.Directory);

    private string JobNameOf(int step) => $"ccl-agent-test-{Path.GetFileName(_fx.Directory)}-step{step}";

    private static JobRequest Request(int step)
    {
        NcclConfig config = NcclConfig.Default.With(ParameterSpace.Algo, "Ring").With(ParameterSpace.Proto, "LL128");
        return new JobRequest(step, StepKind.Trial, config, [new("NCCL_ALGO", "Ring"), new("NCCL_PROTO", "LL128")], Iterations: 3, WarmupIterations: 0);
    }

    private void AssertRanksSaw(int ranks, string expected)
    {
        for (int rank = 0; rank < ranks; rank++)
        {
            string file = Path.Combine(_fx.Directory, $"rank_{rank}");
            Assert.True(File.Exists(file), $"rank {rank} did not run");
            Assert.Equal(expected, File.ReadAllText(file).Trim());
        }

        Assert.False(File.Exists(Path.Combine(_fx.Directory, $"rank_{ranks}")), "more ranks ran than asked for");
    }

    /// <summary>squeue may take a moment to drop a cancelled job; poll a bounded number of times.</summary>
    private static async Task<bool> QueueIsEmptyAsync(string jobName)
    {
        for (int i = 0; i < 60; i++)
        {
            var info = new ProcessStartInfo("squeue") { RedirectStandardOutput = true, UseShellExecute = false };
            foreach (string arg in new[] { "-h", $"--name={jobName}", "-o", "%i %T" })
            {
                info.ArgumentList.Add(arg);
            }

            using Process squeue = Process.Start(info)!;
            string output = await squeue.StandardOutput.ReadToEndAsync();
            await squeue.WaitForExitAsync();
            if (squeue.ExitCode == 0 && output.Trim().Length == 0)
            {
                return true;
            }

            await Task.Delay(500);
        }

        return false;
    }
}
