using CclAgent.Runtime.Execution;
using CclAgent.Tuning.Jobs;

namespace CclAgent.Runtime.Tests.Execution;

/// <summary>
/// A job's descendant that starts its own session (setsid) is out of reach of a process-group kill and, once its
/// parent exits, of a tree walk from the job; the step marker in its environment still finds it at the step's end.
/// </summary>
[Trait("Category", "Integration")]
public sealed class DetachedDescendantTests : IDisposable
{
    private readonly ProcessJobFixture _fx = new();

    public void Dispose() => _fx.Dispose();

    [Fact]
    public async Task A_setsid_grandchild_of_a_job_that_exits_0_is_killed_and_reaped_when_the_step_ends()
    {
        string marker = "ccl-detached-" + Path.GetFileName(_fx.Directory);
        string script = $"setsid bash -c 'exec -a {marker} sleep 300' & echo $! > stray.pid; echo 'CCL_METRICS {{\"iteration_ms\": 10}}'; exit 0";

        JobResult result = await _fx.Shell(script).RunAsync(ProcessJobFixture.Request(), CancellationToken.None);
        int stray = await _fx.WaitForPidAsync("stray.pid");

        result.Status.Should().Be(JobStatus.Ok);
        (await ProcessJobFixture.IsGoneAsync(stray)).Should().BeTrue("the detached grandchild must not outlive its step");
        (await IsReapedAsync(stray)).Should().BeTrue("a killed stray re-parented to us is reaped, not left a zombie");
    }

    [Fact]
    public async Task Each_step_gets_a_marker_unique_to_its_run_and_step_beside_the_bare_step_number()
    {
        ProcessJobRunner runner = _fx.Shell("echo \"$CCL_AGENT_STEP $CCL_AGENT_STEP_ID\" > marker.txt; echo 'CCL_METRICS {\"iteration_ms\": 10}'");

        await runner.RunAsync(ProcessJobFixture.Request(step: 4), CancellationToken.None);

        (await File.ReadAllTextAsync(Path.Combine(_fx.Directory, "marker.txt"))).Trim()
            .Should().Be($"4 {Path.GetFileName(_fx.Directory)}/step_4");
    }

    private static async Task<bool> IsReapedAsync(int pid)
    {
        for (int i = 0; i < 100 && Directory.Exists($"/proc/{pid}"); i++)
        {
            await Task.Delay(50);
        }

        return !Directory.Exists($"/proc/{pid}");
    }
}
