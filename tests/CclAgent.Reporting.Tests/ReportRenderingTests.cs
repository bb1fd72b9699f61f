using CclAgent.Reporting.Runs;
using CclAgent.Testing;

namespace CclAgent.Reporting.Tests;

public sealed class ReportRenderingTests
{
    /// <summary>
    /// Size only, never wall time. CCL_AGENT_KEEP_SYNTHETIC_RUN=DIR also leaves the 1,000-step run directory in DIR,
    /// for the timing line in docs/benchmarks.md.
    /// </summary>
    [Fact]
    public void A_run_of_1000_steps_renders_every_step_row_and_one_inline_plot()
    {
        using var temp = new TempDirectory();
        string dir = SyntheticRunDirectory.Write(temp.Path, trials: 1000);
        if (Environment.GetEnvironmentVariable("CCL_AGENT_KEEP_SYNTHETIC_RUN") is { Length: > 0 } keep)
        {
            SyntheticRunDirectory.Write(keep, trials: 1000);
        }

        string html = RunReport.HtmlForRunDirectory(dir);

        html.Should().StartWith("<!DOCTYPE html>");
        html.Split("steps/step_").Length.Should().BeGreaterThan(1001);
        html.Should().Contain("href=\"../steps/step_1000.json\"");
        html.Split("<svg").Length.Should().Be(2);
        // The SVG namespace names are identifiers, not addresses a browser fetches; anything else would leave the file.
        string withoutNamespaces = System.Text.RegularExpressions.Regex.Replace(html, "xmlns(:[a-z]+)?=\"http://www\\.w3\\.org/[^\"]*\"", "");
        withoutNamespaces.Should().NotContain("<script").And.NotContain("http://").And.NotContain("https://");
    }

    [Fact]
    public void Markup_and_secrets_from_artifacts_are_escaped_and_masked()
    {
        using var temp = new TempDirectory();
        string dir = SyntheticRunDirectory.Write(temp.Path, trials: 5, workload: "w<script>alert(1)</script>",
            failureMessage: "wandb: login with WANDB_API_KEY=0123456789abcdef0123456789abcdef01234567 <img src=x onerror=alert(1)> token hf_abcdefghijklmnopqrstuvwxyzABCDEFGH");
        var report = new RunReport([RunReader.Read(dir)]);

        string html = report.Html(temp.Path);
        string md = report.Markdown(temp.Path);

        html.Should().NotContain("<script>").And.NotContain("<img").And.Contain("&lt;script&gt;");
        md.Should().NotContain("<script>").And.NotContain("<img");
        foreach (string text in new[] { html, md })
        {
            text.Should().NotContain("0123456789abcdef0123456789abcdef01234567").And.NotContain("hf_abcdefghijklmnopqrstuvwxyzABCDEFGH");
        }
    }

    [Fact]
    public void The_report_shows_failures_with_their_diagnosis_memory_rules_importance_and_model_calls()
    {
        using var temp = new TempDirectory();
        string dir = SyntheticRunDirectory.Write(temp.Path, trials: 8);

        string md = new RunReport([RunReader.Read(dir)]).Markdown(dir);

        md.Should().Contain("### Failed steps").And.Contain("cuda: driver mismatch (confidence 0.80)");
        md.Should().Contain("| use | abc | ALGO=Ring | ring wins |");
        md.Should().Contain("| NCCL_BUFFSIZE | 0.0100 | yes |");
        md.Should().Contain("[call_0001](llm/call_0001.json)");
        md.Should().Contain("| allreduce | 0 | 65536 | ring | simple | 4 | 1 | 8 |");
    }

    [Fact]
    public void A_step_file_with_invalid_json_is_named_with_its_json_path()
    {
        using var temp = new TempDirectory();
        string dir = SyntheticRunDirectory.Write(temp.Path, trials: 2);
        File.WriteAllText(Path.Combine(dir, "steps", "step_1.json"), """{"step": "one"}""");

        Action read = () => RunReader.Read(dir);

        read.Should().Throw<ReportInputException>().Which.Message.Should().Contain("step_1.json: $.step: invalid JSON").And.NotContain("\n");
    }
}
