using System.Text.Json;

namespace CclAgent.Diagnosis.Tests;

/// <summary>The real ccl-agent diagnose command line: text and JSON output, bad input, exit codes.</summary>
public sealed class DiagnoseCommandTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("ccl-diag-cli-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    public async Task Text_report_has_every_section_and_exits_0()
    {
        string log = Write("train.log", Given.Training(30) + "\n" + LogExcerpts.IbNew + "\n" + LogExcerpts.Watchdog);

        var (code, stdout, stderr) = await CliRunner.RunAsync("diagnose", "--log", log);

        Assert.True(code == 0, stderr);
        foreach (string section in new[] { "SUMMARY", "ERROR PROGRESSION", "ROOT CAUSE", "EVIDENCE", "RECOMMENDATIONS" })
        {
            Assert.Contains(section, stdout);
        }

        Assert.Contains("ib_network_error", stdout);
        Assert.Contains("train.log:31", stdout);
        Assert.Contains("NCCL_IB_TIMEOUT=22", stdout);
    }

    [Fact]
    public async Task Json_has_the_diagnosis_evidence_and_recommendations()
    {
        string log = Write("train.log", Given.Training(30) + "\n" + LogExcerpts.CudaOomNew);
        string dmesg = Write("dmesg.txt", "[1.0] boot\n");
        string script = Write("train.py", "optimizer = torch.optim.SGD(model.parameters(), lr=0.1)\nloss.backward()\n");

        var (code, stdout, stderr) = await CliRunner.RunAsync("diagnose", "--log", log, "--log", dmesg, "--code", script, "--json");

        Assert.True(code == 0, stderr);
        using JsonDocument json = JsonDocument.Parse(stdout);
        JsonElement diagnosis = json.RootElement.GetProperty("diagnosis");
        Assert.Equal("cuda_oom", diagnosis.GetProperty("category").GetString());
        Assert.Equal("workload", diagnosis.GetProperty("domain").GetString());
        Assert.Equal("initiating", diagnosis.GetProperty("role").GetString());
        Assert.Equal(30, diagnosis.GetProperty("failure_step").GetInt64());
        Assert.InRange(diagnosis.GetProperty("confidence").GetDouble(), 0.8, 1.0);
        Assert.False(string.IsNullOrEmpty(diagnosis.GetProperty("root_cause").GetString()));
        JsonElement evidence = json.RootElement.GetProperty("evidence")[0];
        Assert.Equal(31, evidence.GetProperty("line").GetInt64());
        Assert.Equal(log, evidence.GetProperty("file").GetString());
        Assert.Equal("HIGH", json.RootElement.GetProperty("recommendations")[0].GetProperty("priority").GetString());
        Assert.Equal(2, json.RootElement.GetProperty("sources").GetArrayLength());
        Assert.Contains(json.RootElement.GetProperty("code_findings").EnumerateArray(), f => f.GetProperty("rule").GetString() == "no_grad_clipping");
    }

    [Fact]
    public async Task Missing_log_exits_2_with_one_line()
    {
        var (code, stdout, stderr) = await CliRunner.RunAsync("diagnose", "--log", Path.Combine(_temp, "missing.log"));

        Assert.Equal(2, code);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Contains("missing.log: file not found", stderr);
        Assert.DoesNotContain("   at ", stderr);
        Assert.Empty(stdout);
    }

    [Fact]
    public async Task Directory_that_is_not_a_run_exits_2()
    {
        var (code, _, stderr) = await CliRunner.RunAsync("diagnose", "--log", _temp);

        Assert.Equal(2, code);
        Assert.Contains("not a ccl-agent run directory", stderr);
    }

    [Fact]
    public async Task No_input_is_a_usage_error()
    {
        var (code, _, stderr) = await CliRunner.RunAsync("diagnose");

        Assert.Equal(1, code);
        Assert.Contains("--log", stderr);
    }

    [Fact]
    public async Task Binary_input_exits_0_and_says_nothing_was_found()
    {
        string path = Path.Combine(_temp, "garbage.bin");
        var random = new Random(3);
        byte[] bytes = new byte[100_000];
        random.NextBytes(bytes);
        await File.WriteAllBytesAsync(path, bytes);

        var (code, stdout, stderr) = await CliRunner.RunAsync("diagnose", "--log", path, "--json");

        Assert.True(code == 0, stderr);
        using JsonDocument json = JsonDocument.Parse(stdout);
        Assert.Equal("unknown", json.RootElement.GetProperty("diagnosis").GetProperty("category").GetString());
        Assert.Contains(json.RootElement.GetProperty("notes").EnumerateArray(), n => n.GetString()!.Contains("no failure evidence found"));
    }

    private string Write(string name, string text)
    {
        string path = Path.Combine(_temp, name);
        File.WriteAllText(path, text);
        return path;
    }
}
