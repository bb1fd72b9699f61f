using CclAgent.Diagnosis.Classification;
using CclAgent.Diagnosis.Code;
using CclAgent.Diagnosis.Reports;
using CclAgent.Diagnosis.Sources;

namespace CclAgent.Diagnosis.Tests;

public sealed class CodeRuleTests : IDisposable
{
    private const string Script = """
        import argparse
        import torch
        import torch.nn.functional as F

        parser = argparse.ArgumentParser()
        parser.add_argument("--lr", type=float, default=0.5)
        args = parser.parse_args()

        model = build().cuda().half()
        optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr)
        loader = DataLoader(ds, batch_size=64, num_workers=16)
        os.environ["NCCL_P2P_DISABLE"] = "1"
        total = 0
        for batch in loader:
            out = model(batch)
            loss = F.cross_entropy(out, batch.y, reduction='sum')
            loss.backward()
            optimizer.step()
            total += loss
        """;

    private readonly string _temp = Directory.CreateTempSubdirectory("ccl-code-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    public void Each_rule_points_at_its_line()
    {
        IReadOnlyList<CodeFinding> findings = CodeAnalyzer.AnalyzeSource("train.py", Script.Split('\n'));

        Assert.Equal(10, Line("lr_out_of_range"));
        Assert.Equal(16, Line("loss_sum_reduction"));
        Assert.Equal(17, Line("no_grad_clipping"));
        Assert.Equal(17, Line("zero_grad_missing"));
        Assert.Equal(9, Line("fp16_without_loss_scaler"));
        Assert.Equal(10, Line("adam_eps_in_fp16"));
        Assert.Equal(19, Line("loss_accumulated_with_graph"));
        Assert.Equal(11, Line("many_dataloader_workers"));
        Assert.Equal(12, Line("nccl_env_in_code"));
        Assert.Contains("0.5", findings.Single(f => f.Rule == "lr_out_of_range").Message);

        long Line(string rule) => findings.Single(f => f.Rule == rule).Line;
    }

    [Fact]
    public void A_clean_script_has_no_findings()
    {
        string clean = """
            model = build().cuda()
            optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4)
            scaler = torch.amp.GradScaler("cuda")
            for batch in loader:
                with torch.autocast("cuda", dtype=torch.bfloat16):
                    loss = model(batch).mean()
                loss.backward()
                torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                optimizer.step()
                optimizer.zero_grad(set_to_none=True)
                total += loss.item()
            """;

        Assert.Empty(CodeAnalyzer.AnalyzeSource("clean.py", clean.Split('\n')));
    }

    [Fact]
    public void A_bare_nan_with_a_far_too_high_lr_in_code_is_diagnosed_as_lr_too_high()
    {
        string code = Path.Combine(_temp, "train.py");
        File.WriteAllText(code, "optimizer = torch.optim.AdamW(model.parameters(), lr=0.5)\nloss.backward()\n");

        DiagnosisReport report = Diagnoser.Diagnose([LogSource.FromText("train.log", Given.Training(10) + "\n" + LogExcerpts.NanDetectron)], new DiagnosisOptions { CodeFiles = [code] });

        Assert.Equal(FailureCategory.LrTooHigh, report.Verdict.Category);
        Assert.Contains($"{code}:1", report.Verdict.RootCause);
        Assert.Equal(2137, report.Verdict.FailureStep);
        Assert.All(report.CodeFindings, f => Assert.True(f.Correlated));
        Assert.Contains(report.Recommendations, r => r.Location == $"{code}:1" && r.Priority == "HIGH");
    }

    [Fact]
    public void Missing_code_file_is_an_input_error()
    {
        Assert.Throws<DiagnosisInputException>(() => CodeAnalyzer.Analyze([Path.Combine(_temp, "nope.py")]));
    }
}
