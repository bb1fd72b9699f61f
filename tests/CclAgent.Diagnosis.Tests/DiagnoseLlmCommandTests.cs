using System.Text.Json;
using CclAgent.Diagnosis.Tests.Support;
using CclAgent.Testing;

namespace CclAgent.Diagnosis.Tests;

/// <summary>The real ccl-agent diagnose --llm against a loopback Ollama server, and with the server down.</summary>
[Trait("Category", "Integration")]
public sealed class DiagnoseLlmCommandTests : IDisposable
{
    /// <summary>The developer's own model settings must not leak into the test runs.</summary>
    private static readonly Dictionary<string, string?> CleanEnvironment = new()
    {
        ["CCL_AGENT_PROVIDER"] = null,
        ["CCL_AGENT_MODEL"] = null,
        ["CCL_AGENT_LLM_ENDPOINT"] = null,
        ["CCL_AGENT_API_KEY"] = null,
        ["OPENAI_API_KEY"] = null,
    };

    private readonly string _temp = Directory.CreateTempSubdirectory("ccl-diag-llm-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    public async Task Llm_conversation_end_to_end_writes_turns_tokens_and_prompt_packs()
    {
        string log = Write("train.log", Given.Training(30) + "\n" + LogExcerpts.IbNew + "\n" + LogExcerpts.Watchdog);
        string ev = Given.Diagnose(File.ReadAllText(log)).Verdict.EvidenceIds[0];
        var script = new ReviewScript([ReviewScript.Analysis, ReviewScript.Correlations(ev), ReviewScript.RootCause("cuda_oom", false), ReviewScript.Recommendations]);
        using var server = new OllamaLoopback(true, script.Answer);
        string outDir = Path.Combine(_temp, "out");

        var (code, stdout, stderr) = await CliProcess.RunAsync(CleanEnvironment,
            "diagnose", "--log", log, "--llm", "--provider", "ollama", "--model", "llama3.1", "--llm-endpoint", server.BaseUrl, "--out", outDir, "--json");

        Assert.True(code == 0, stderr);
        Assert.Empty(server.Failures);
        using JsonDocument json = JsonDocument.Parse(stdout);
        Assert.Equal("ib_network_error", json.RootElement.GetProperty("diagnosis").GetProperty("category").GetString());
        JsonElement llm = json.RootElement.GetProperty("llm");
        Assert.True(llm.GetProperty("used").GetBoolean());
        Assert.Equal(4, llm.GetProperty("turns").GetArrayLength());
        Assert.Equal(366, llm.GetProperty("turns")[0].GetProperty("total_tokens").GetInt64());
        Assert.Equal(4 * 366, llm.GetProperty("total_tokens").GetInt64());
        Assert.False(llm.GetProperty("agrees_with_verdict").GetBoolean());
        Assert.Equal("cuda_oom", llm.GetProperty("model_category").GetString());
        Assert.Equal(ev, llm.GetProperty("correlations")[0].GetProperty("evidence_id").GetString());
        Assert.Equal(4, llm.GetProperty("prompt_packs").GetArrayLength());
        string lastPack = File.ReadAllText(Path.Combine(outDir, "llm", "call_0004.json"));
        Assert.Contains("ANALYSIS-TURN-1", lastPack);
        Assert.Contains("TURN-3", lastPack);
    }

    [Fact]
    public async Task Text_report_shows_the_model_review_without_out_dir()
    {
        string log = Write("train.log", Given.Training(30) + "\n" + LogExcerpts.IbNew);
        string ev = Given.Diagnose(File.ReadAllText(log)).Verdict.EvidenceIds[0];
        var script = new ReviewScript([ReviewScript.Analysis, ReviewScript.Correlations(ev), ReviewScript.RootCause("cuda_oom", false), ReviewScript.Recommendations]);
        using var server = new OllamaLoopback(false, script.Answer);

        var (code, stdout, stderr) = await CliProcess.RunAsync(CleanEnvironment, "diagnose", "--log", log, "--llm", "--llm-endpoint", server.BaseUrl, "--max-turns", "3");

        Assert.True(code == 0, stderr);
        Assert.Equal(3, server.RequestCount);
        Assert.Contains("MODEL REVIEW", stdout);
        Assert.Contains("3 of 3 turn(s)", stdout);
        Assert.Contains("DISAGREES", stdout);
        Assert.False(Directory.Exists(Path.Combine(_temp, "llm")));
    }

    [Fact]
    public async Task Server_down_warns_once_and_exits_0_deterministically()
    {
        string log = Write("train.log", LogExcerpts.Xid79);

        var (code, stdout, stderr) = await CliProcess.RunAsync(CleanEnvironment,
            "diagnose", "--log", log, "--llm", "--llm-endpoint", $"http://127.0.0.1:{OllamaLoopback.ClosedPort()}", "--json");

        Assert.Equal(0, code);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Contains("the language model is unavailable", stderr);
        using JsonDocument json = JsonDocument.Parse(stdout);
        Assert.Equal("gpu_xid", json.RootElement.GetProperty("diagnosis").GetProperty("category").GetString());
        Assert.False(json.RootElement.GetProperty("llm").GetProperty("used").GetBoolean());
    }

    private string Write(string name, string text)
    {
        string path = Path.Combine(_temp, name);
        File.WriteAllText(path, text);
        return path;
    }
}
