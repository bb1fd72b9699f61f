using System.Text.Json;
using CclAgent.Diagnosis.Tests.Support;
using CclAgent.Testing;

namespace CclAgent.Diagnosis.Tests;

/// <summary>
/// The real ccl-agent diagnose with credentials inside the evidence lines: no credential value may reach stdout, stderr,
/// a file under --out, or the prompts the model server receives, in text, JSON or --llm mode.
/// </summary>
[Trait("Category", "Integration")]
public sealed class SecretMaskingCommandTests : IDisposable
{
    private static readonly Dictionary<string, string?> CleanEnvironment = new()
    {
        ["CCL_AGENT_PROVIDER"] = null,
        ["CCL_AGENT_MODEL"] = null,
        ["CCL_AGENT_LLM_ENDPOINT"] = null,
        ["CCL_AGENT_API_KEY"] = null,
        ["OPENAI_API_KEY"] = null,
    };

    // Fake credentials of the real shapes. Real credentials are never copied from the threads below, even revoked ones.
    private static readonly string[] SecretValues =
    [
        "hf_Qm9ndXNUb2tlbkZvclRlc3RzT25seTAxMjM0",
        "sk-proj-Rm9yVGVzdHNPbmx5Tm90QVJlYWxLZXkwMTIzNDU2",
        "ghp_Tm90QVJlYWxHaXRIdWJUb2tlbkZvclRlc3QxMjM0",
        "AKIAZ7TESTONLYFAKE01",
        "UrlPassw0rdForTests",
        "plainTokenValue123",
        "pw-S3cr3t-Only-In-Tests",
        "opaqueBearerValue-7f3a9c",
        "plainFlagSecret42",
        "0123456789abcdef0123456789abcdef01234567",
        "gluedSecret99",
        "rejectedKeyOfNoShape",
    ];

    private readonly string _temp = Directory.CreateTempSubdirectory("ccl-diag-secrets-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    public async Task Text_report_masks_every_credential_in_the_evidence()
    {
        string log = Write("train.log", Log());

        var (code, stdout, stderr) = await CliRunner.RunAsync("diagnose", "--log", log);

        code.Should().Be(0, stderr);
        stdout.Should().Contain("Failed to execute insanely-fast-whisper", "the credential-bearing lines must be in the report, masked");
        stdout.Should().Contain("***");
        AssertNoSecret(stdout, "stdout");
        AssertNoSecret(stderr, "stderr");
    }

    [Fact]
    public async Task Json_report_masks_credentials_in_evidence_text_facts_root_cause_and_recommendations()
    {
        string log = Write("train.log", Log());

        var (code, stdout, stderr) = await CliRunner.RunAsync("diagnose", "--log", log, "--json");

        code.Should().Be(0, stderr);
        using JsonDocument json = JsonDocument.Parse(stdout);
        JsonElement[] exceptions = json.RootElement.GetProperty("evidence").EnumerateArray()
            .Where(e => e.GetProperty("signal").GetString() == "python_exception").ToArray();
        exceptions.Should().HaveCount(7, "each of the seven exceptions is kept as evidence");
        exceptions.Should().OnlyContain(e => e.GetProperty("text").GetString()!.Contains("***") && e.GetProperty("facts").GetProperty("message").GetString()!.Contains("***"));
        AssertNoSecret(stdout, "stdout");
        AssertNoSecret(stderr, "stderr");
    }

    [Fact]
    public async Task Llm_review_sends_no_credential_to_the_model_and_writes_none_under_out()
    {
        string log = Write("train.log", Log());
        string ev = Given.Diagnose(File.ReadAllText(log)).Verdict.EvidenceIds[0];
        var script = new ReviewScript([ReviewScript.Analysis, ReviewScript.Correlations(ev), ReviewScript.RootCause("code_bug", true), ReviewScript.Recommendations]);
        var prompts = new List<string>();
        using var server = new OllamaLoopback(false, (n, messages) =>
        {
            lock (prompts)
            {
                prompts.AddRange(messages.Select(m => m.Content));
            }

            return script.Answer(n, messages);
        });
        string outDir = Path.Combine(_temp, "out");

        var (code, stdout, stderr) = await CliProcess.RunAsync(CleanEnvironment,
            "diagnose", "--log", log, "--llm", "--provider", "ollama", "--model", "llama3.1", "--llm-endpoint", server.BaseUrl, "--out", outDir, "--json");

        code.Should().Be(0, stderr);
        server.Failures.Should().BeEmpty();
        string sent = string.Join("\n", prompts);
        sent.Should().Contain("Failed to execute insanely-fast-whisper", "the evidence must reach the model, masked");
        AssertNoSecret(sent, "the prompts sent to the model");
        AssertNoSecret(stdout, "stdout");
        AssertNoSecret(stderr, "stderr");
        string[] files = Directory.GetFiles(outDir, "*", SearchOption.AllDirectories);
        files.Should().NotBeEmpty();
        foreach (string file in files)
        {
            AssertNoSecret(File.ReadAllText(file), file);
        }
    }

    /// <summary>
    /// A traceback per credential. Every line is constructed: the exception formats come from the threads cited, the
    /// credential values are the fake ones above.
    /// </summary>
    private static string Log() => Given.Training(20) + "\n" + string.Join("\n", new[]
    {
        // https://github.com/zackees/transcribe-anything/issues/93: the command, with --hf-token, inside an OSError.
        $"OSError: Failed to execute insanely-fast-whisper --file-name in.wav --hf-token {SecretValues[0]} --device-id 0",

        // https://github.com/popjane/free_chatgpt_api/issues/3 (the server's masked key replaced by a whole fake one).
        $"openai.AuthenticationError: Error code: 401 - {{'error': {{'message': 'Incorrect API key provided: {SecretValues[1]}. You can find your API key at https://platform.openai.com/account/api-keys.', 'type': 'invalid_request_error', 'param': None, 'code': 'invalid_api_key'}}}}",

        // https://github.com/wandb/openui/issues/199: a key of no known shape echoed back by the server.
        $"openai.AuthenticationError: Error code: 401 - {{'error': {{'message': 'Incorrect API key provided: {SecretValues[11]}. You can find your API key at https://platform.openai.com/account/api-keys.', 'type': 'invalid_request_error', 'param': None, 'code': 'invalid_api_key'}}}}",

        // Standard library exception texts with a token in a clone URL, a password in a URL and a query, an AWS key,
        // a password pair and flags, and an Authorization header.
        $"subprocess.CalledProcessError: Command '['git', 'clone', 'https://x-access-token:{SecretValues[2]}@github.com/org/data.git']' returned non-zero exit status 128.",
        $"requests.exceptions.HTTPError: 401 Client Error: Unauthorized for url: https://trainer:{SecretValues[4]}@minio.internal:9000/ckpt?token={SecretValues[5]}",
        $"botocore.exceptions.ClientError: An error occurred (InvalidAccessKeyId) when calling the PutObject operation: The AWS Access Key Id you provided does not exist in our records ({SecretValues[3]})",
        $"RuntimeError: launcher failed: host=db user=trainer password={SecretValues[6]} torchrun train.py --db-password {SecretValues[8]} --wandb-key {SecretValues[9]} PGPASSWORD={SecretValues[10]} headers={{'Authorization': 'Bearer {SecretValues[7]}'}}",
    }.Select(line => "Traceback (most recent call last):\n  File \"/workspace/train.py\", line 42, in <module>\n" + line)) + "\n";

    private static void AssertNoSecret(string text, string where)
    {
        foreach (string secret in SecretValues)
        {
            text.Should().NotContain(secret, $"{where} must not carry a credential");
        }
    }

    private string Write(string name, string text)
    {
        string path = Path.Combine(_temp, name);
        File.WriteAllText(path, text);
        return path;
    }
}
