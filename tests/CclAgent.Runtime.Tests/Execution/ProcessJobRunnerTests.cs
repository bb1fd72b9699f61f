using System.Diagnostics;
using System.Text.Json;
using CclAgent.Runtime.Execution;
using CclAgent.Tuning.Jobs;

namespace CclAgent.Runtime.Tests.Execution;

/// <summary>Real subprocesses: what the runner parses, how it classifies failures, and that it leaves no process behind.</summary>
[Trait("Category", "Integration")]
public sealed class ProcessJobRunnerTests : IDisposable
{
    private readonly ProcessJobFixture _fx = new();

    public void Dispose() => _fx.Dispose();

    [Fact]
    public async Task Metrics_protocol_lines_are_parsed_warmup_is_dropped_and_logs_are_written()
    {
        const string script = """
            for ms in 100 90 10 11 12; do echo "[rank0]: CCL_METRICS {\"iteration\": 1, \"iteration_ms\": $ms, \"tokens_per_s\": $ms}"; done
            echo "CCL_METRICS not json"
            echo "a warning" >&2
            """;
        JobResult result = await _fx.Shell(script).RunAsync(ProcessJobFixture.Request(step: 3, warmup: 2), CancellationToken.None);

        Assert.Equal(JobStatus.Ok, result.Status);
        Assert.Equal([10.0, 11.0, 12.0], result.IterationMs);
        Assert.Equal(11.0, result.Metrics["tokens_per_s"]);
        Assert.Contains("CCL_METRICS", await File.ReadAllTextAsync(_fx.StepsFile(3, "stdout.log")));
        Assert.Equal("a warning\n", await File.ReadAllTextAsync(_fx.StepsFile(3, "stderr.log")));
        Assert.True(File.Exists(_fx.StepsFile(3, "command.json")));
    }

    [Fact]
    public async Task Iteration_regex_gives_one_sample_per_matching_line()
    {
        const string script = """
            echo "step 0 took 50.0 ms"
            echo "loss 1.2"
            echo "step 1 took 7.5 ms"
            echo "step 2 took 8.5 ms"
            """;
        JobResult result = await _fx.Shell(script, regex: @"took (?<ms>[0-9.]+) ms").RunAsync(ProcessJobFixture.Request(warmup: 1), CancellationToken.None);

        Assert.Equal(JobStatus.Ok, result.Status);
        Assert.Equal([7.5, 8.5], result.IterationMs);
    }

    [Fact]
    public void Iteration_regex_without_an_ms_group_is_rejected_with_an_example()
    {
        var error = Assert.Throws<ArgumentException>(() => _fx.Shell("true", regex: @"took ([0-9.]+) ms"));
        Assert.Contains("(?<ms>", error.Message);
    }

    [Fact]
    public async Task An_nccl_tests_table_yields_busbw_and_the_largest_size_time()
    {
        const string table = """
            # Collective test starting: all_reduce_perf
            #       size         count      type   redop    root     time   algbw   busbw #wrong     time   algbw   busbw #wrong
            #        (B)    (elements)                               (us)  (GB/s)  (GB/s)            (us)  (GB/s)  (GB/s)
                       8             2     float     sum      -1    41.87    0.00    0.00      0    41.02    0.00    0.00      0
                 1048576        262144     float     sum      -1   2000.0   17.09   29.91      0    60.80   17.25   30.18      0
            # Out of bounds values : 0 OK
            # Avg bus bandwidth    : 15.02
            """;
        await File.WriteAllTextAsync(Path.Combine(_fx.Directory, "table.txt"), table);
        JobResult result = await _fx.Shell("cat table.txt").RunAsync(ProcessJobFixture.Request(warmup: 5), CancellationToken.None);

        Assert.Equal(JobStatus.Ok, result.Status);
        Assert.Equal([2.0], result.IterationMs); // nccl-tests warms up itself: nothing dropped
        Assert.Equal(15.02, result.Metrics["busbw_gbps"]);
    }

    [Theory]
    [InlineData("echo boom >&2; exit 3", "exit_code_3")]
    [InlineData("kill -9 $$", "signal_9")] // the shell convention 128+n, as .NET reports a signalled child
    public async Task A_nonzero_exit_is_classified(string script, string failureClass)
    {
        JobResult result = await _fx.Shell(script).RunAsync(ProcessJobFixture.Request(), CancellationToken.None);

        Assert.Equal(JobStatus.Failed, result.Status);
        Assert.Equal(failureClass, result.FailureClass?.Name);
    }

    [Fact]
    public async Task Nccl_warn_on_stderr_is_an_nccl_error_even_with_metrics()
    {
        const string script = """
            echo 'CCL_METRICS {"iteration": 0, "iteration_ms": 5}'
            echo "node1:123:456 [0] NCCL WARN NET/IB : Got completion with error 12" >&2
            exit 1
            """;
        JobResult result = await _fx.Shell(script).RunAsync(ProcessJobFixture.Request(), CancellationToken.None);

        Assert.Equal(JobStatus.Failed, result.Status);
        Assert.Equal("nccl_error", result.FailureClass?.Name);
        Assert.Contains("NCCL WARN", result.Message);
    }

    [Fact]
    public async Task A_clean_exit_without_metrics_is_no_metrics()
    {
        JobResult result = await _fx.Shell("echo training done").RunAsync(ProcessJobFixture.Request(), CancellationToken.None);

        Assert.Equal(JobStatus.NoMetrics, result.Status);
        Assert.Equal("no_metrics", result.FailureClass?.Name);
    }

    [Fact]
    public async Task A_missing_program_is_a_start_failure_not_an_exception()
    {
        var runner = new ProcessJobRunner(new ProcessJobOptions { Command = ["/nonexistent/ccl-agent-job"] }, _fx.Directory);
        JobResult result = await runner.RunAsync(ProcessJobFixture.Request(), CancellationToken.None);

        Assert.Equal("start_failed", result.FailureClass?.Name);
    }

    [Fact]
    public async Task A_hung_job_is_killed_at_its_timeout_with_no_orphan_left()
    {
        const string script = "echo $$ > parent.pid; sleep 60 & echo $! > child.pid; echo started; sleep 60";
        var clock = Stopwatch.StartNew();
        JobResult result = await _fx.Shell(script, timeout: TimeSpan.FromSeconds(1.5)).RunAsync(ProcessJobFixture.Request(), CancellationToken.None);
        clock.Stop();

        Assert.Equal(JobStatus.TimedOut, result.Status);
        Assert.Equal("timeout", result.FailureClass?.Name);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(12), $"took {clock.Elapsed}");
        Assert.True(await ProcessJobFixture.IsGoneAsync(await _fx.WaitForPidAsync("child.pid")), "the child sleep survived");
        Assert.True(await ProcessJobFixture.IsGoneAsync(await _fx.WaitForPidAsync("parent.pid")), "the job survived");
        Assert.Contains("started", await File.ReadAllTextAsync(_fx.StepsFile(1, "stdout.log")));
    }

    [Fact]
    public async Task Cancellation_kills_the_tree_and_rethrows()
    {
        const string script = "echo $$ > parent.pid; sleep 60 & echo $! > child.pid; sleep 60";
        using var cts = new CancellationTokenSource();
        Task<JobResult> run = _fx.Shell(script).RunAsync(ProcessJobFixture.Request(), cts.Token);
        int child = await _fx.WaitForPidAsync("child.pid");
        int parent = await _fx.WaitForPidAsync("parent.pid");
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.True(await ProcessJobFixture.IsGoneAsync(child), "the child sleep survived");
        Assert.True(await ProcessJobFixture.IsGoneAsync(parent), "the job survived");
    }

    [Fact]
    public async Task Secrets_are_redacted_in_command_json_and_the_logs_while_the_job_still_receives_them()
    {
        // The job proves it got the values by their lengths: the values themselves must not appear in argv either.
        const string script = """test ${#HF_TOKEN} -eq 7 && test ${#MY_Password} -eq 6 && echo received; echo "got $HF_TOKEN $MY_Password $NCCL_ALGO $PLAIN"; echo 'CCL_METRICS {"iteration_ms": 1}'""";
        JobResult result = await _fx.Shell(script, env: [new("HF_TOKEN", "tok-123"), new("MY_Password", "pw-456"), new("PLAIN", "visible"), new("NCCL_ALGO", "Tree")])
            .RunAsync(ProcessJobFixture.Request(step: 2, env: [new("NCCL_ALGO", "Ring")]), CancellationToken.None);

        Assert.Equal(JobStatus.Ok, result.Status);
        string log = await File.ReadAllTextAsync(_fx.StepsFile(2, "stdout.log"));
        log.Should().Contain("received").And.Contain("got *** *** Ring visible", "a job that echoes a secret variable has it masked in its log");

        string json = await File.ReadAllTextAsync(_fx.StepsFile(2, "command.json"));
        Assert.DoesNotContain("tok-123", json);
        Assert.DoesNotContain("pw-456", json);
        using var doc = JsonDocument.Parse(json);
        JsonElement env = doc.RootElement.GetProperty("environment");
        Assert.Equal("***", env.GetProperty("HF_TOKEN").GetString());
        Assert.Equal("***", env.GetProperty("MY_Password").GetString());
        Assert.Equal("visible", env.GetProperty("PLAIN").GetString());
        Assert.Equal("Ring", env.GetProperty("NCCL_ALGO").GetString()); // compiled NCCL variables win over the workload's
        Assert.Equal(["/bin/sh", "-c", script], doc.RootElement.GetProperty("argv").EnumerateArray().Select(a => a.GetString()!).ToArray());
    }

    [Fact]
    public async Task Overrides_win_over_the_step_nccl_settings_and_the_step_number_is_exported()
    {
        ProcessJobRunner runner = new(new ProcessJobOptions
        {
            Command = ["/bin/sh", "-c", "echo \"CCL_METRICS {\\\"iteration_ms\\\": 1}\"; echo \"$NCCL_ALGO $NCCL_PROTO $CCL_AGENT_STEP\" >&2"],
            Overrides = [new("NCCL_PROTO", "Simple")],
            WorkingDirectory = _fx.Directory,
        }, _fx.Directory);

        JobResult result = await runner.RunAsync(ProcessJobFixture.Request(step: 4, env: [new("NCCL_ALGO", "Ring"), new("NCCL_PROTO", "LL")]), CancellationToken.None);

        Assert.Equal(JobStatus.Ok, result.Status);
        Assert.Equal("Ring Simple 4\n", await File.ReadAllTextAsync(_fx.StepsFile(4, "stderr.log")));
    }
}
