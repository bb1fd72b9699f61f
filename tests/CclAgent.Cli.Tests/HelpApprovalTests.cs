using System.Text.RegularExpressions;
using CclAgent.Testing;

namespace CclAgent.Cli.Tests;

/// <summary>Every verb's --help and the text summary of a dry-run tune, pinned by approval files in Approvals/ (CCL_AGENT_APPROVE=1 rewrites them).</summary>
public sealed partial class HelpApprovalTests : IDisposable
{
    private readonly TempDirectory _temp = new("ccl-cli-approve-");

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string> Verbs() => ["", "tune", "watch", "diagnose", "bench", "nccltests", "nccltests parse", "sim", "sim nccl-tests", "sim train", "report"];

    [Theory]
    [MemberData(nameof(Verbs))]
    public async Task Help_of_each_verb_matches_its_approved_text(string verb)
    {
        string[] args = [.. verb.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--help"];

        var (code, stdout, stderr) = await InProcessCli.RunAsync(args);

        code.Should().Be(0, stderr);
        Approvals.Verify("help." + (verb.Length == 0 ? "root" : verb.Replace(' ', '.')), stdout);
    }

    [Fact]
    public async Task The_text_summary_of_a_dry_run_tune_matches_its_approved_text()
    {
        string artifacts = _temp.Combine("art");
        var (code, stdout, stderr) = await InProcessCli.RunAsync("tune", "--workload", "workload/sim/autoccl-a40-4x8-llama3-8b.json", "--dry-run", "--provider", "none",
            "--quiet", "--seed", "1", "--artifacts-root", artifacts, "--memory", _temp.Combine("m.db"));

        code.Should().Be(0, stderr);
        string runDir = Directory.GetDirectories(artifacts).Should().ContainSingle().Subject;
        Approvals.Verify("tune.summary", Scrub(stdout, runDir));
    }

    /// <summary>Run-specific parts: the run directory (and its id), the temp and repository roots, timestamps.</summary>
    private string Scrub(string text, string runDir)
    {
        string scrubbed = text.Replace(runDir, "<run_dir>", StringComparison.Ordinal)
            .Replace(Path.GetFileName(runDir), "<run_dir>", StringComparison.Ordinal)
            .Replace(_temp.Path, "<tmp>", StringComparison.Ordinal)
            .Replace(RepoPaths.Root, "<repo>", StringComparison.Ordinal);
        return Timestamp().Replace(scrubbed, "<timestamp>");
    }

    [GeneratedRegex(@"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?")]
    private static partial Regex Timestamp();
}
