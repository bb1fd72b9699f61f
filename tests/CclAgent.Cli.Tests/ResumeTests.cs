using System.Diagnostics;
using System.Text.Json.Nodes;

namespace CclAgent.Cli.Tests;

/// <summary>
/// `tune --resume`: a run killed (SIGKILL) or preempted (SIGUSR1) part-way continues from its run directory to the
/// result an uninterrupted run with the same seed reaches, step for step.
/// </summary>
public sealed class ResumeTests : IDisposable
{
    private const string Workload = "workload/sim/h100-1x8-nvswitch-tp8.json";
    private readonly string _dir = Directory.CreateTempSubdirectory("ccl-resume-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(6)]
    public async Task A_run_killed_after_step_k_resumes_to_the_uninterrupted_result(int k)
    {
        string reference = await ReferenceRunAsync();
        string killed = await KillAfterStepAsync(k, "killed", signal: null);
        Status(killed).Should().Be("running", "the kill must land before the run finishes, or the test proves nothing");

        var resumed = await InProcessCli.RunAsync([.. Tune("killed"), "--resume", killed]);

        resumed.ExitCode.Should().Be(0, resumed.Stderr);
        SameResult(killed, reference);
        Events(killed).Count(e => e["type"]!.GetValue<string>() == "resume").Should().Be(1);
    }

    [Fact]
    public async Task SIGUSR1_stops_after_the_current_step_with_exit_75_and_the_run_resumes()
    {
        string reference = await ReferenceRunAsync();
        string preempted = await KillAfterStepAsync(2, "preempted", signal: "USR1");
        Status(preempted).Should().Be("preempted");

        var resumed = await InProcessCli.RunAsync([.. Tune("preempted"), "--resume", preempted]);

        resumed.ExitCode.Should().Be(0, resumed.Stderr);
        SameResult(preempted, reference);
    }

    [Fact]
    public async Task Resuming_with_another_seed_exits_2_naming_the_seed()
    {
        string killed = await KillAfterStepAsync(1, "seeded", signal: null);

        var resumed = await InProcessCli.RunAsync([.. Tune("seeded"), "--seed", "2", "--resume", killed]);

        resumed.ExitCode.Should().Be(ExitCodes.InvalidInput);
        resumed.Stderr.Trim().Should().NotContain("\n").And.Contain("seed is 1");
    }

    [Fact]
    public async Task Resuming_a_finished_run_or_a_missing_directory_exits_2_with_one_line()
    {
        string finished = await ReferenceRunAsync();

        var again = await InProcessCli.RunAsync([.. Tune("reference"), "--resume", finished]);
        var missing = await InProcessCli.RunAsync([.. Tune("reference"), "--resume", Path.Combine(_dir, "nope")]);

        again.ExitCode.Should().Be(ExitCodes.InvalidInput);
        again.Stderr.Should().Contain("nothing to resume");
        missing.ExitCode.Should().Be(ExitCodes.InvalidInput);
        missing.Stderr.Trim().Should().NotContain("\n").And.Contain("no such directory");
    }

    private string[] Tune(string name) =>
        ["tune", "--workload", Workload, "--dry-run", "--provider", "none", "--quiet", "--max-steps", "10",
         "--memory", Path.Combine(_dir, name + ".db"), "--artifacts-root", Path.Combine(_dir, name)];

    private async Task<string> ReferenceRunAsync()
    {
        var run = await InProcessCli.RunAsync(Tune("reference"));
        run.ExitCode.Should().Be(0, run.Stderr);
        return Directory.GetDirectories(Path.Combine(_dir, "reference")).Single();
    }

    /// <summary>
    /// <see cref="InterruptAfterStepAsync"/>, tried again in a fresh directory when the run finished before the signal
    /// landed (a loaded machine can run the last steps between two polls): an interrupted run is what the tests need.
    /// </summary>
    private async Task<string> KillAfterStepAsync(int k, string name, string? signal)
    {
        for (int attempt = 1; ; attempt++)
        {
            string run = await InterruptAfterStepAsync(k, name, signal);
            if (Status(run) != "succeeded" || attempt == 3)
            {
                return run;
            }

            // Start clean: the finished run is in this name's memory, and a resume must not learn from it.
            Directory.Delete(Path.Combine(_dir, name), recursive: true);
            foreach (string file in Directory.GetFiles(_dir, name + ".db*"))
            {
                File.Delete(file);
            }
        }
    }

    /// <summary>Starts tune as a real process and, once step <paramref name="k"/> is written, kills it or sends it the signal.</summary>
    private async Task<string> InterruptAfterStepAsync(int k, string name, string? signal)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = CclAgent.Testing.RepoPaths.Root, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ccl-agent.dll"));
        foreach (string arg in Tune(name))
        {
            start.ArgumentList.Add(arg.StartsWith("workload/", StringComparison.Ordinal) ? Path.Combine(CclAgent.Testing.RepoPaths.Root, arg) : arg);
        }

        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> errors = process.StandardError.ReadToEndAsync();
        string root = Path.Combine(_dir, name);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (!StepWritten(root, k) && !process.HasExited)
        {
            await Task.Delay(10, timeout.Token);
        }

        if (signal is null)
        {
            process.Kill(entireProcessTree: true);
        }
        else
        {
            using Process kill = Process.Start("kill", ["-" + signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
            await kill.WaitForExitAsync(timeout.Token);
        }

        await process.WaitForExitAsync(timeout.Token);
        string stderr = await errors;
        _ = await output;
        string run = Directory.GetDirectories(root).Single();
        if (signal is not null && Status(run) != "succeeded")
        {
            process.ExitCode.Should().Be(ExitCodes.Preempted, stderr);
            stderr.Should().Contain("--resume");
        }

        return run;
    }

    private static bool StepWritten(string root, int k) =>
        Directory.Exists(root) && Directory.GetDirectories(root).Any(run => File.Exists(Path.Combine(run, "steps", $"step_{k}.json")));

    private static string Status(string run) => JsonNode.Parse(File.ReadAllText(Path.Combine(run, "run_context.json")))!["status"]!.GetValue<string>();

    private static List<JsonNode> Events(string run) => [.. File.ReadLines(Path.Combine(run, "trace", "events.jsonl")).Select(line => JsonNode.Parse(line)!)];

    /// <summary>The summary (less its run id) and every step's configuration, measurements and decision are equal.</summary>
    private static void SameResult(string resumed, string reference)
    {
        Summary(resumed).Should().Be(Summary(reference));
        string[] steps = [.. Directory.GetFiles(Path.Combine(reference, "steps"), "step_*.json").Select(Path.GetFileName).Order()!];
        Directory.GetFiles(Path.Combine(resumed, "steps"), "step_*.json").Select(Path.GetFileName).Order().Should().Equal(steps);
        foreach (string step in steps)
        {
            Step(resumed, step).Should().Be(Step(reference, step), step);
        }
    }

    private static string Summary(string run)
    {
        JsonObject summary = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "postrun", "summary.json")))!.AsObject();
        summary.Remove("run_id");
        return summary.ToJsonString();
    }

    private static string Step(string run, string file)
    {
        JsonObject step = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "steps", file)))!.AsObject();
        string? conf = step["tuner_conf"]?.GetValue<string>();
        return $"{step["config"]!.ToJsonString()} {step["metrics"]!.ToJsonString()} {step["decision"]?.ToJsonString()} {step["status"]} {conf}";
    }
}
