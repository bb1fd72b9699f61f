using System.Text.Json.Nodes;
using CclAgent.Testing;

namespace CclAgent.Cli.Tests.Replay;

/// <summary>
/// `ccl-agent replay` over the recorded-run corpus (RecordedRuns/, re-recorded by scripts/record-runs.sh when a change
/// alters decisions on purpose): every decision re-derives from the record alone, and a tampered record is caught.
/// </summary>
public sealed class RecordedRunReplayTests : IDisposable
{
    private static readonly string Corpus = Path.Combine(RepoPaths.Root, "tests", "CclAgent.Cli.Tests", "RecordedRuns");
    private readonly string _dir = Directory.CreateTempSubdirectory("ccl-replay-").FullName;

    public static TheoryData<string> RecordedRuns()
    {
        var runs = new TheoryData<string>();
        foreach (string run in Directory.GetDirectories(Corpus).Select(Path.GetFileName).Order()!)
        {
            runs.Add(run!);
        }

        return runs;
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_corpus_holds_every_shipped_scenario_a_failed_step_a_preempted_run_a_real_launcher_run_in_job_runs_and_model_advice()
    {
        string[] runs = [.. Directory.GetDirectories(Corpus).Select(Path.GetFileName)!];
        string[] scenarios = [.. Directory.GetFiles(Path.Combine(RepoPaths.Root, "workload", "sim"), "*.json").Select(f => "dry-" + Path.GetFileNameWithoutExtension(f))];

        runs.Should().Contain(scenarios).And.Contain(["faults-l40s", "preempted-h100", "warm-llama3-8b", "real-mpirun-nccl-tests", "llm-ollama-l40s", "injob-llama3-8b", "real-mpirun-in-job"]);
        Directory.GetFiles(Path.Combine(Corpus, "faults-l40s", "steps")).Should().Contain(f => File.ReadAllText(f).Contains("\"status\": \"failed\""));
    }

    [Theory]
    [MemberData(nameof(RecordedRuns))]
    public async Task A_recorded_run_replays_with_no_divergence(string run)
    {
        var replay = await InProcessCli.RunAsync("replay", Path.Combine(Corpus, run), "--json");

        replay.ExitCode.Should().Be(0, replay.Stdout + replay.Stderr);
        JsonNode report = JsonNode.Parse(replay.Stdout)!;
        report["diverged"]!.GetValue<int>().Should().Be(0);
        report["decisions"]!.GetValue<int>().Should().BeGreaterThan(2);
    }

    [Fact]
    public async Task A_changed_measurement_is_reported_at_its_step_with_exit_8()
    {
        string run = Copy("dry-h100-1x8-nvswitch-tp8");
        string step = Path.Combine(run, "steps", "step_3.json");
        JsonNode record = JsonNode.Parse(File.ReadAllText(step))!;
        JsonArray samples = record["metrics"]!["iteration_ms_samples"]!.AsArray();
        for (int i = 0; i < samples.Count; i++)
        {
            samples[i] = samples[i]!.GetValue<double>() * 0.5;
        }

        File.WriteAllText(step, record.ToJsonString());

        var replay = await InProcessCli.RunAsync("replay", run, "--json");

        replay.ExitCode.Should().Be(ExitCodes.ReplayDiverged);
        JsonNode first = JsonNode.Parse(replay.Stdout)!["first_divergence"]!;
        first["step"]!.GetValue<int>().Should().Be(3);
        first["event_id"]!.GetValue<string>().Should().StartWith("e");
    }

    [Fact]
    public async Task A_run_directory_from_before_replay_says_which_schema_it_needs()
    {
        string run = Copy("dry-l40s-1x8-pcie-ddp");
        File.Delete(Path.Combine(run, "offline", "replay.json"));

        var replay = await InProcessCli.RunAsync("replay", run);

        replay.ExitCode.Should().Be(ExitCodes.InvalidInput);
        replay.Stderr.Trim().Should().NotContain("\n").And.Contain("replay.json").And.Contain("schema 2");
    }

    [Fact]
    public async Task A_missing_directory_exits_2_with_one_line()
    {
        var replay = await InProcessCli.RunAsync("replay", Path.Combine(_dir, "nope"));

        replay.ExitCode.Should().Be(ExitCodes.InvalidInput);
        replay.Stderr.Trim().Should().NotContain("\n").And.Contain("no such directory");
    }

    private string Copy(string run)
    {
        string target = Path.Combine(_dir, run);
        foreach (string file in Directory.GetFiles(Path.Combine(Corpus, run), "*", SearchOption.AllDirectories))
        {
            string to = Path.Combine(target, Path.GetRelativePath(Path.Combine(Corpus, run), file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }

        return target;
    }
}
