using System.Text.Json.Nodes;
using CclAgent.Testing;

namespace CclAgent.Cli.Tests.Robustness;

/// <summary>
/// Planted credentials of every shape the redactor knows, put everywhere a user's secret can enter a run
/// (the workload's env, --env, argv, the job's own output, a log handed to diagnose); no file the agent
/// writes may contain one, because run directories and diagnosis reports are attached to bug reports.
/// </summary>
public sealed class SecretCanaryTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("ccl-canary-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    [Trait("Category", "Integration")]
    public async Task A_real_tune_run_writes_no_planted_secret_into_any_file_of_its_run_directory()
    {
        Canaries env = new("ENV");
        Canaries overrides = new("OVR");
        Canaries stdout = new("OUT");
        Canaries stderr = new("ERR");
        string script = Path.Combine(_temp, "job.sh");
        await File.WriteAllTextAsync(script, $$"""
            # Prints every kind of credential a real job's output may carry, then its iteration times.
            {{string.Join("\n", stdout.Lines.Select(l => $"echo '{l}'"))}}
            {{string.Join("\n", stderr.Lines.Select(l => $"echo '{l}' >&2"))}}
            echo "wandb says $WANDB_API_KEY and the database $DB_PASS"
            if [ "$CCL_AGENT_STEP" = 1 ]; then echo 'fatal: login failed with password={{stderr.Password}}' >&2; exit 3; fi
            for i in 1 2 3 4; do echo "CCL_METRICS {\"iteration_ms\": 12.$i}"; done
            """);
        var envBlock = new JsonObject();
        foreach ((string name, string value) in env.Environment)
        {
            envBlock[name] = value;
        }

        string workload = await WriteWorkloadAsync(new JsonObject
        {
            // A secret-named flag with its value as the next argument, a value of no recognisable shape.
            ["command"] = new JsonArray("/bin/sh", script, "--hf-token", "canaryargvplain123"),
            ["env"] = envBlock,
            ["tuning"] = new JsonObject { ["budget"] = 3, ["warmup_iterations"] = 0, ["plateau_steps"] = 10 },
        });
        List<string> args = ["tune", "--workload", workload, "--provider", "ollama", "--llm-endpoint", "http://u:canaryendpointpw@127.0.0.1:1/",
            "--artifacts-root", Path.Combine(_temp, "art"), "--memory", Path.Combine(_temp, "m.db")];
        foreach ((string name, string value) in overrides.Environment)
        {
            args.AddRange(["--env", $"{name}={value}"]);
        }

        var (code, output, error) = await CliProcess.RunIsolatedAsync(new Dictionary<string, string>(), [.. args]);

        code.Should().Be(0, error);
        string run = Directory.GetDirectories(Path.Combine(_temp, "art")).Single();
        File.Exists(Path.Combine(run, "steps", "step_1_stderr.log")).Should().BeTrue("the failing step's log is part of the scan");
        string[] secrets = [.. env.Secrets, .. overrides.Secrets, .. stdout.Secrets, .. stderr.Secrets, "canaryendpointpw", "canaryargvplain123"];
        string.Join('\n', Leaks(run, secrets)).Should().BeEmpty();
        string.Join('\n', secrets.Where(s => output.Contains(s, StringComparison.Ordinal) || error.Contains(s, StringComparison.Ordinal))).Should().BeEmpty("the console is pasted into bug reports too");
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task Diagnose_json_and_its_prompt_packs_quote_no_planted_secret()
    {
        Canaries log = new("LOG");
        string path = Path.Combine(_temp, "train.log");
        await File.WriteAllLinesAsync(path, [
            .. log.Lines.Select(l => "node1:123:456 [0] NCCL INFO " + l),
            "node1:123:456 [0] transport/net_ib.cc:2244 NCCL WARN NET/IB: Got completion from peer 10.0.0.2<53908> with status=12 opcode=129 len=1048576 vendor err 129 (Recv) password=" + log.Password,
            "RuntimeError: NCCL communicator was aborted; token=" + log.Password + " " + log.Lines[0],
        ]);
        string outDir = Path.Combine(_temp, "out");

        var (code, output, error) = await CliProcess.RunIsolatedAsync(new Dictionary<string, string>(),
            "diagnose", "--log", path, "--json", "--llm", "--provider", "ollama", "--llm-endpoint", "http://u:canaryendpointpw@127.0.0.1:1/", "--out", outDir);

        code.Should().Be(0, error);
        string[] secrets = [.. log.Secrets, "canaryendpointpw"];
        string.Join('\n', secrets.Where(s => output.Contains(s, StringComparison.Ordinal) || error.Contains(s, StringComparison.Ordinal))).Should().BeEmpty();
        string.Join('\n', Directory.Exists(outDir) ? Leaks(outDir, secrets) : []).Should().BeEmpty();
    }

    /// <summary>"file: secret" for every planted secret found in a file under <paramref name="root"/>.</summary>
    private static List<string> Leaks(string root, IReadOnlyList<string> secrets)
    {
        List<string> leaks = [];
        foreach (string file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            string text = File.ReadAllText(file);
            leaks.AddRange(secrets.Where(s => text.Contains(s, StringComparison.Ordinal)).Select(s => $"{Path.GetRelativePath(root, file)}: {s}"));
        }

        return leaks;
    }

    private Task<string> WriteWorkloadAsync(JsonObject overrides) => RealWorkload.WriteAsync(_temp, "canary.json", overrides, microbenchmarkRuns: 2);

    /// <summary>One credential of each shape, tagged with where it was planted so a leak names its way in.</summary>
    private sealed class Canaries(string tag)
    {
        private readonly string _lower = tag.ToLowerInvariant();

        public string HuggingFace => "hf_Canary" + tag + "HuggingFace0123456789ab";
        public string OpenAi => "sk-proj-Canary" + tag + "OpenAi0123456789abcdefghijklmnopqrst";
        public string Aws => "AKIA" + ("CANARY" + tag + "0000000000")[..16];
        public string GitHub => "ghp_Canary" + tag + "GitHub0123456789abcdefghijklmnopq";
        public string Slack => "xoxb-1234567890-Canary" + tag + "Slack";
        public string UrlPassword => "canaryurl" + _lower;
        public string Bearer => "canarybearer" + _lower + "0123456789";
        public string Password => "canarypassword" + _lower;
        public string Wandb => "canarywandb" + _lower;
        public string Database => "canarydb" + _lower;

        /// <summary>The part of each credential that must never be written down.</summary>
        public IEnumerable<string> Secrets =>
        [
            HuggingFace[3..], OpenAi[8..], Aws[4..], GitHub[4..], Slack[5..], UrlPassword, Bearer, Password, Wandb, Database,
        ];

        /// <summary>Environment variables: secret names with shapeless values, and every shape behind an innocuous name.</summary>
        public IEnumerable<(string Name, string Value)> Environment =>
        [
            ("WANDB_API_KEY", Wandb), ("DB_PASS", Database), ("MIRROR_URL", $"https://user:{UrlPassword}@mirror.example/simple"),
            ("EXTRA_FLAGS", $"--hub {HuggingFace} --openai {OpenAi}"), ("CANARY_AWS", Aws), ("CANARY_GH", GitHub), ("CANARY_SLACK", Slack),
            ("CANARY_AUTH", $"Bearer {Bearer}"), ("CANARY_CONN", $"host=db password={Password}"),
        ];

        /// <summary>Output lines a job or a log may carry.</summary>
        public IReadOnlyList<string> Lines =>
        [
            $"login with {HuggingFace} ok", $"openai key {OpenAi}", $"aws {Aws}", $"cloning with {GitHub}", $"slack {Slack}",
            $"pip index https://user:{UrlPassword}@mirror.example/simple", $"Authorization: Bearer {Bearer}", $"db password={Password}",
            $"WANDB_API_KEY={Wandb}", $"DB_PASS={Database}",
        ];
    }
}
