using System.Text.Json.Nodes;
using CclAgent.Llm.Tests.Support;
using CclAgent.Testing;

namespace CclAgent.Llm.Tests.Cli;

/// <summary>
/// `replay` of a run that asked a model: the real ccl-agent tunes against a loopback Ollama server (or a closed port),
/// then replays the run directory with the server gone, answering every call from the prompt packs.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ReplayWithModelTests : IDisposable
{
    private const string Workload = "workload/sim/l40s-1x8-pcie-ddp.json";
    private readonly string _temp = Directory.CreateTempSubdirectory("ccl-llm-replay-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    public async Task A_run_with_model_advice_replays_with_0_divergences_after_the_server_is_gone()
    {
        using (var server = new LoopbackServer((req, res, ct) => ChatProtocols.OllamaAsync(res, ScriptedModel.Reply(req.AllMessages()), streamed: true, ct)))
        {
            await TuneAsync("--provider", "ollama", "--llm-endpoint", server.BaseUrl, "--model", "llama3.1");
        }

        string run = RunDirectory();
        int calls = Directory.GetFiles(Path.Combine(run, "llm"), "call_*.json").Length;
        int steps = Directory.GetFiles(Path.Combine(run, "steps"), "step_*.json").Length;
        calls.Should().BeGreaterThan(0, "the run must have asked the model, or the test proves nothing");

        JsonObject replay = await ReplayAsync(run, expectedExit: 0);

        replay["diverged"]!.GetValue<int>().Should().Be(0, replay.ToJsonString());
        replay["decisions"]!.GetValue<int>().Should().BeGreaterThanOrEqualTo(1 + steps + calls, "the plan, each step and each model call are decisions");
    }

    [Fact]
    public async Task A_run_whose_model_server_was_down_replays_its_failed_call_with_0_divergences()
    {
        await TuneAsync("--provider", "ollama", "--llm-endpoint", $"http://127.0.0.1:{LoopbackServer.ClosedPort()}");

        JsonObject replay = await ReplayAsync(RunDirectory(), expectedExit: 0);

        replay["diverged"]!.GetValue<int>().Should().Be(0, replay.ToJsonString());
    }

    [Fact]
    public async Task A_tampered_model_reply_makes_replay_diverge_with_exit_8()
    {
        using (var server = new LoopbackServer((req, res, ct) => ChatProtocols.OllamaAsync(res, ScriptedModel.Reply(req.AllMessages()), streamed: true, ct)))
        {
            await TuneAsync("--provider", "ollama", "--llm-endpoint", server.BaseUrl, "--model", "llama3.1");
        }

        string pack = Path.Combine(RunDirectory(), "llm", "call_0001.json");
        JsonObject recorded = JsonNode.Parse(File.ReadAllText(pack))!.AsObject();
        recorded["turns"]![0]!["response"] = "{\"proposals\": []}";
        File.WriteAllText(pack, recorded.ToJsonString());

        JsonObject replay = await ReplayAsync(RunDirectory(), expectedExit: 8);

        replay["diverged"]!.GetValue<int>().Should().BeGreaterThan(0);
        replay["first_divergence"].Should().NotBeNull();
    }

    private async Task TuneAsync(params string[] provider)
    {
        string[] args = ["tune", "--workload", Workload, "--dry-run", "--artifacts-root", Path.Combine(_temp, "art"), "--memory", Path.Combine(_temp, "m.db"), "--max-steps", "8", "--quiet", .. provider];
        var (code, _, stderr) = await CliProcess.RunIsolatedAsync(new Dictionary<string, string>(), args);
        code.Should().Be(0, stderr);
    }

    private static async Task<JsonObject> ReplayAsync(string run, int expectedExit)
    {
        var (code, stdout, stderr) = await CliProcess.RunIsolatedAsync(new Dictionary<string, string>(), ["replay", run, "--json"]);
        code.Should().Be(expectedExit, stdout + stderr);
        return JsonNode.Parse(stdout)!.AsObject();
    }

    private string RunDirectory() => Directory.GetDirectories(Path.Combine(_temp, "art")).Single();
}
