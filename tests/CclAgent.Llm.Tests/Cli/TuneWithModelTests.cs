using CclAgent.Testing;
using System.Text.Json;
using CclAgent.Llm.Tests.Support;

namespace CclAgent.Llm.Tests.Cli;

/// <summary>The real ccl-agent executable talking to a loopback model server (or to nothing).</summary>
[Trait("Category", "Integration")]
public sealed class TuneWithModelTests : IDisposable
{
    private const string Workload = "workload/sim/l40s-1x8-pcie-ddp.json";
    private readonly string _temp = Directory.CreateTempSubdirectory("ccl-llm-cli-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    private string[] Tune(params string[] extra) =>
        ["tune", "--workload", Workload, "--dry-run", "--artifacts-root", Path.Combine(_temp, "art"), "--memory", Path.Combine(_temp, "m.db"), "--max-steps", "8", "--json", .. extra];

    private string RunDirectory() => Directory.GetDirectories(Path.Combine(_temp, "art")).Single();

    [Fact]
    public async Task Tune_with_ollama_applies_a_validated_model_proposal_and_keeps_the_prompt_packs()
    {
        using var server = new LoopbackServer((req, res, ct) => ChatProtocols.OllamaAsync(res, ScriptedModel.Reply(req.AllMessages()), streamed: true, ct));

        var (code, stdout, stderr) = await CliProcess.RunIsolatedAsync(new Dictionary<string, string>(), Tune("--provider", "ollama", "--llm-endpoint", server.BaseUrl, "--model", "llama3.1"));

        Assert.True(code == 0, stderr);
        Assert.DoesNotContain("unavailable", stderr);
        using JsonDocument summary = JsonDocument.Parse(stdout);
        Assert.True(summary.RootElement.GetProperty("llm_used").GetBoolean());
        Assert.True(summary.RootElement.GetProperty("llm_proposals_applied").GetInt32() >= 1);

        string run = RunDirectory();
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(run, "llm"), "call_*.json"));
        using JsonDocument step = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "steps", "step_1.json")));
        Assert.Equal("warm-start:llm", step.RootElement.GetProperty("source").GetString());
        Assert.True(step.RootElement.GetProperty("risk").GetDouble() < 0.5);
        JsonElement decision = step.RootElement.GetProperty("decision");
        Assert.True(decision.GetProperty("from_model").GetBoolean());
        Assert.Contains(decision.GetProperty("evidence").EnumerateArray(), e => e.GetString() == "llm:call_0001");

        using JsonDocument plan = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "offline", "plan.json")));
        Assert.Equal("llm", plan.RootElement.GetProperty("warm_start").GetProperty("source").GetString());

        // The online call: the hazardous NTHREADS=480 is refused (with its reason in the pack), the legal change kept.
        string online = File.ReadAllText(Path.Combine(run, "llm", "call_0002.json"));
        Assert.Contains("\"purpose\": \"hypotheses\"", online);
        Assert.Contains("threads-power-of-two", online);
        string[] trace = File.ReadAllLines(Path.Combine(run, "trace", "events.jsonl"));
        Assert.Contains(trace, l => l.Contains("\"type\":\"llm.call\"", StringComparison.Ordinal) && l.Contains("\"llm:call_0001\"", StringComparison.Ordinal));
        Assert.DoesNotContain(trace, l => l.Contains("\"type\":\"llm.error\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Tune_with_the_model_server_down_completes_deterministically_with_one_warning()
    {
        string endpoint = $"http://127.0.0.1:{LoopbackServer.ClosedPort()}";

        var (code, stdout, stderr) = await CliProcess.RunIsolatedAsync(new Dictionary<string, string>(), Tune("--provider", "ollama", "--llm-endpoint", endpoint));

        Assert.True(code == 0, stderr);
        using JsonDocument summary = JsonDocument.Parse(stdout);
        Assert.False(summary.RootElement.GetProperty("llm_used").GetBoolean());
        Assert.True(summary.RootElement.GetProperty("speedup").GetDouble() >= 1.0);
        Assert.Single(stderr.Split('\n'), l => l.StartsWith("warning: the language model is unavailable", StringComparison.Ordinal));
        string run = RunDirectory();
        Assert.Single(File.ReadAllLines(Path.Combine(run, "trace", "events.jsonl")), l => l.Contains("\"type\":\"llm.error\"", StringComparison.Ordinal));
        Assert.DoesNotContain(Directory.GetFiles(Path.Combine(run, "steps")), f => File.ReadAllText(f).Contains("\"from_model\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Provider_none_from_the_environment_makes_no_call_at_all()
    {
        var (code, stdout, stderr) = await CliProcess.RunIsolatedAsync(new Dictionary<string, string> { ["CCL_AGENT_PROVIDER"] = "none" }, Tune());

        Assert.True(code == 0, stderr);
        Assert.Empty(Directory.GetFiles(Path.Combine(RunDirectory(), "llm")));
        Assert.DoesNotContain("warning", stderr);
        using JsonDocument summary = JsonDocument.Parse(stdout);
        Assert.False(summary.RootElement.GetProperty("llm_used").GetBoolean());
    }

    [Fact]
    public async Task A_planted_api_key_is_used_but_appears_nowhere_in_the_run_directory_or_the_log()
    {
        const string key = "sk-planted-DO-NOT-WRITE-4b1f0c2e9a";
        string? seenAuthorization = null;
        using var server = new LoopbackServer((req, res, ct) =>
        {
            seenAuthorization = req.Authorization;
            return ChatProtocols.OpenAIAsync(res, ScriptedModel.Reply(req.AllMessages()), ct);
        });

        var (code, stdout, stderr) = await CliProcess.RunIsolatedAsync(
            new Dictionary<string, string> { ["CCL_AGENT_API_KEY"] = key, ["OPENAI_API_KEY"] = key },
            Tune("--provider", "openai", "--llm-endpoint", server.BaseUrl + "/v1", "--model", "gpt-4o-mini"));

        Assert.True(code == 0, stderr);
        Assert.Equal("Bearer " + key, seenAuthorization);
        string run = RunDirectory();
        string[] files = Directory.GetFiles(run, "*", SearchOption.AllDirectories);
        Assert.Contains(files, f => f.EndsWith(".clef", StringComparison.Ordinal));
        Assert.Contains(files, f => Path.GetFileName(f).StartsWith("call_", StringComparison.Ordinal));
        foreach (string file in files)
        {
            Assert.False(File.ReadAllText(file).Contains(key, StringComparison.Ordinal), $"the API key leaked into {file}");
        }

        Assert.DoesNotContain(key, stdout);
        Assert.DoesNotContain(key, stderr);
        Assert.DoesNotContain(key, File.ReadAllText(Path.Combine(_temp, "m.db")));
    }
}
