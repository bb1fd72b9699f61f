using CclAgent.Core.Runs;
using Microsoft.Extensions.Time.Testing;
using CclAgent.Testing;

namespace CclAgent.Core.Tests.Runs;

public sealed class RunDirectoryTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Create_lays_out_every_sub_folder_under_artifacts_run_id()
    {
        RunDirectory run = RunDirectory.Create(_dir.Path, "run-1");

        Assert.Equal(Path.Combine(_dir.Path, "run-1"), run.Root);
        Assert.Equal("run-1", run.RunId);
        Assert.Equal(
            ["llm", "logs", "offline", "online", "postrun", "steps", "trace"],
            Directory.GetDirectories(run.Root).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void File_paths_follow_the_documented_layout()
    {
        RunDirectory run = RunDirectory.Create(_dir.Path, "run-1");

        Assert.Equal(Path.Combine(run.Root, "trace", "events.jsonl"), run.TraceFile);
        Assert.Equal(Path.Combine(run.Root, "run_context.json"), run.RunContextFile);
        Assert.Equal(Path.Combine(run.Root, "config_snapshot.json"), run.ConfigSnapshotFile);
        Assert.Equal(Path.Combine(run.Root, "logs", "ccl-agent.clef"), run.LogFile);
    }

    [Fact]
    public void Create_on_an_existing_run_keeps_its_files()
    {
        RunDirectory first = RunDirectory.Create(_dir.Path, "run-1");
        File.WriteAllText(first.TraceFile, "line\n");

        RunDirectory.Create(_dir.Path, "run-1");

        Assert.Equal("line\n", File.ReadAllText(first.TraceFile));
    }

    [Theory]
    [InlineData("run-1")]
    [InlineData("run-1/")]
    public void Open_takes_the_run_id_from_the_folder_name(string relative)
    {
        RunDirectory run = RunDirectory.Open(Path.Combine(_dir.Path, relative));

        Assert.Equal("run-1", run.RunId);
        Assert.Equal(Path.Combine(_dir.Path, "run-1", "trace"), run.Trace);
    }

    [Fact]
    public void New_run_ids_sort_by_time_and_make_the_name_path_safe()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 3, 1, 12, 34, 56, TimeSpan.Zero));

        string id = RunDirectory.NewRunId(time, "a40 4x8/llama.3");
        string other = RunDirectory.NewRunId(time, "a40 4x8/llama.3");

        Assert.Matches("^20250301-123456-a40-4x8-llama-3-[0-9a-f]{6}$", id);
        Assert.NotEqual(id, other);
    }
}
