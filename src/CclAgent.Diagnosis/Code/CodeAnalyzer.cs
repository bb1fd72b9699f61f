using System.Globalization;
using System.Text.RegularExpressions;
using CclAgent.Core.Secrets;
using CclAgent.Core.Text;
using CclAgent.Diagnosis.Classification;
using CclAgent.Diagnosis.Recommendations;
using CclAgent.Diagnosis.Sources;

namespace CclAgent.Diagnosis.Code;

/// <summary>
/// Line-level rules over a Python training script (no Python parser: patterns over source lines, which is
/// enough for the mistakes that cause training failures). See docs/diagnose.md for the rule list.
/// </summary>
public static partial class CodeAnalyzer
{
    private const int MaxLineBytes = 4096;

    public static IReadOnlyList<CodeFinding> Analyze(IEnumerable<string> files, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        var findings = new List<CodeFinding>();
        foreach (string file in files)
        {
            if (!File.Exists(file))
            {
                throw new DiagnosisInputException($"--code {file}: file not found");
            }

            findings.AddRange(AnalyzeFile(file, ReadLines(file, cancellationToken)));
        }

        return findings;
    }

    /// <summary>Runs the rules over source lines already in memory (line numbers start at 1).</summary>
    public static IReadOnlyList<CodeFinding> AnalyzeSource(string file, IReadOnlyList<string> lines) => AnalyzeFile(file, lines);

    private static List<string> ReadLines(string file, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        using var reader = new BoundedLineReader(new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite), LogLines.Options(MaxLineBytes));
        while (reader.MoveNext())
        {
            cancellationToken.ThrowIfCancellationRequested();
            while (lines.Count < reader.LineNumber - 1)
            {
                lines.Add(string.Empty);
            }

            lines.Add(reader.Current.ToString());
        }

        return lines;
    }

    private static List<CodeFinding> AnalyzeFile(string file, IReadOnlyList<string> raw)
    {
        string[] lines = raw.Select(StripComment).ToArray();
        var script = new ScriptFacts(lines);
        var findings = new List<CodeFinding>();
        for (int i = 0; i < lines.Length; i++)
        {
            LineRules(file, i, lines[i], raw[i], script, findings);
        }

        FileRules(file, raw, script, findings);
        return findings.OrderBy(f => f.Line).ToList();
    }

    private static void LineRules(string file, int index, string line, string raw, ScriptFacts script, List<CodeFinding> findings)
    {
        if (line.Length == 0)
        {
            return;
        }

        if (Optimizer().Match(line) is { Success: true } optimizer)
        {
            LearningRate(file, index, raw, optimizer.Groups["optimizer"].Value, optimizer.Groups["args"].Value, script, findings);
        }
        else if (TrainingArgumentsLr().Match(line) is { Success: true } hfLr)
        {
            LearningRate(file, index, raw, "AdamW", $"lr={hfLr.Groups["lr"].Value}", script, findings);
        }

        if (SumReduction().IsMatch(line))
        {
            findings.Add(Finding("loss_sum_reduction", file, index, raw,
                "the loss is summed, not averaged: its scale (and the gradient's) grows with the batch size, so the effective learning rate does too",
                "use reduction='mean', or divide the summed loss by the number of tokens/samples", [FailureCategory.LrTooHigh, FailureCategory.NanOrInf, FailureCategory.Fp16Overflow], Priority.Medium, FailureCategory.LrTooHigh));
        }

        if (UnclampedLog().IsMatch(line))
        {
            findings.Add(Finding("unclamped_log", file, index, raw, "log of a value that can reach 0 gives -inf, then NaN in the backward pass",
                "clamp the argument: torch.log(x.clamp_min(1e-8)), or use log_softmax / logsumexp", [FailureCategory.NanOrInf], Priority.Low, FailureCategory.CodeBug));
        }

        if (LossAccumulated().Match(line) is { Success: true } accumulated)
        {
            findings.Add(Finding("loss_accumulated_with_graph", file, index, raw,
                $"'{accumulated.Groups["target"].Value} += loss' keeps every step's autograd graph alive: GPU memory grows until CUDA OOM",
                "accumulate loss.item() (or loss.detach())", [FailureCategory.CudaOom], Priority.Medium));
        }

        if (Workers().Match(line) is { Success: true } workers && int.Parse(workers.Groups["n"].Value, CultureInfo.InvariantCulture) >= 8)
        {
            findings.Add(Finding("many_dataloader_workers", file, index, raw,
                $"{workers.Groups["n"].Value} DataLoader workers per rank: each holds batches in /dev/shm and a copy of the dataset in host memory",
                "lower num_workers (4 is usually enough), or raise the container's --shm-size", [FailureCategory.ShmExhausted, FailureCategory.HostOom], Priority.Low));
        }

        if (NcclEnv().Match(line) is { Success: true } env)
        {
            findings.Add(Finding("nccl_env_in_code", file, index, raw,
                $"{env.Groups["name"].Value}={env.Groups["value"].Value} is set inside the script, where launch-time settings cannot override it",
                "set NCCL variables in the launcher's environment (or best_config.env), not in code", [FailureCategory.NcclTimeout, FailureCategory.P2pHang, FailureCategory.IbNetworkError, FailureCategory.SocketNetworkError, FailureCategory.BootstrapInterface], Priority.Low));
        }

        if (ShortTimeout().Match(line) is { Success: true } timeout && double.Parse(timeout.Groups["seconds"].Value, CultureInfo.InvariantCulture) < 300)
        {
            findings.Add(Finding("short_collective_timeout", file, index, raw,
                $"a {timeout.Groups["seconds"].Value} s process-group timeout turns a slow step (checkpoint, evaluation on rank 0) into a watchdog timeout",
                "keep the default (10 min) or more: init_process_group(..., timeout=timedelta(minutes=30))", [FailureCategory.NcclTimeout], Priority.Low));
        }
    }

    private static void FileRules(string file, IReadOnlyList<string> raw, ScriptFacts script, List<CodeFinding> findings)
    {
        if (script.Backward is int backward && script.Clip is null)
        {
            findings.Add(Finding("no_grad_clipping", file, backward, raw[backward], "gradients are never clipped: one bad batch or a spike can blow the weights up",
                "clip before optimizer.step(): torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)", [FailureCategory.LrTooHigh, FailureCategory.NanOrInf], Priority.Medium));
        }

        if (script.Backward is int b && script.Step is not null && script.ZeroGrad is null)
        {
            findings.Add(Finding("zero_grad_missing", file, b, raw[b], "optimizer.zero_grad() is never called: gradients accumulate over every step and grow without bound",
                "call optimizer.zero_grad(set_to_none=True) once per step (after optimizer.step())", [FailureCategory.NanOrInf, FailureCategory.LrTooHigh], Priority.High, FailureCategory.CodeBug));
        }

        if (script.Fp16 is int fp16 && script.Scaler is null)
        {
            findings.Add(Finding("fp16_without_loss_scaler", file, fp16, raw[fp16], "fp16 training with no loss scaler: small gradients underflow to 0 and large ones overflow to inf",
                "use torch.amp.GradScaler('cuda') (scaler.scale(loss).backward(); scaler.step(opt); scaler.update()), or train in bf16", [FailureCategory.Fp16Overflow, FailureCategory.NanOrInf], Priority.High, FailureCategory.Fp16Overflow));
        }

        if (script.HalfModel is int half && script.AdamLine is int adam && script.Scaler is null)
        {
            findings.Add(Finding("adam_eps_in_fp16", file, adam, raw[adam], "Adam on a model cast with .half(): eps=1e-8 underflows to 0 in fp16, so the update divides by zero",
                $"keep fp32 master weights (autocast + GradScaler) or set eps=1e-4 for pure fp16 (model cast at line {half + 1})", [FailureCategory.NanOrInf, FailureCategory.Fp16Overflow], Priority.Medium, FailureCategory.Fp16Overflow));
        }
    }

    private static void LearningRate(string file, int index, string raw, string optimizer, string args, ScriptFacts script, List<CodeFinding> findings)
    {
        Match lrArg = LrArgument().Match(args);
        if (!lrArg.Success || script.Resolve(lrArg.Groups["value"].Value) is not double lr)
        {
            return;
        }

        (double low, double high) = UsualRange(optimizer);
        string value = lr.ToString("G4", CultureInfo.InvariantCulture);
        if (lr > high)
        {
            findings.Add(Finding("lr_out_of_range", file, index, raw,
                $"learning rate {value} for {optimizer} is far above the usual range ({Format(low)}–{Format(high)}); expect loss spikes and NaN",
                $"lower it to about {Format(Math.Min(high, lr / 10))} and add a warmup", [FailureCategory.LrTooHigh, FailureCategory.NanOrInf, FailureCategory.Fp16Overflow], Priority.High, FailureCategory.LrTooHigh));
        }
        else if (lr < low)
        {
            findings.Add(Finding("lr_out_of_range", file, index, raw,
                $"learning rate {value} for {optimizer} is far below the usual range ({Format(low)}–{Format(high)}); training will barely move", "check the units (1e-4, not 1e-7)", [], Priority.Low));
        }
    }

    /// <summary>Learning rates beyond which training is very likely to diverge (from the optimizers' published defaults and common practice).</summary>
    private static (double Low, double High) UsualRange(string optimizer) => optimizer switch
    {
        "SGD" => (1e-5, 1.0),
        "Adagrad" => (1e-4, 0.5),
        "RMSprop" => (1e-6, 1e-2),
        "Lion" => (1e-7, 3e-3),
        "Adafactor" => (1e-6, 0.1),
        _ => (1e-7, 1e-2),
    };

    private static string Format(double value) => value.ToString("G3", CultureInfo.InvariantCulture);

    private static CodeFinding Finding(string rule, string file, int index, string raw, string message, string fix, IReadOnlyList<string> categories, string priority, string? explains = null) => new()
    {
        Rule = rule,
        File = file,
        Line = index + 1,
        Text = SecretRedactor.Redact(raw.Trim()),
        Message = message,
        Fix = fix,
        Categories = categories,
        Priority = priority,
        Explains = explains,
    };

    private static string StripComment(string line)
    {
        string trimmed = line.TrimStart();
        if (trimmed.StartsWith('#'))
        {
            return string.Empty;
        }

        int hash = line.IndexOf(" #", StringComparison.Ordinal);
        return hash >= 0 && line.AsSpan(0, hash).Count('"') % 2 == 0 && line.AsSpan(0, hash).Count('\'') % 2 == 0 ? line[..hash] : line;
    }

    [GeneratedRegex(@"\b(?<optimizer>AdamW|Adam|SGD|RMSprop|Adagrad|Adafactor|Lion|FusedAdam|AdamW8bit|Adam8bit|LAMB)\s*\((?<args>.*)$")]
    private static partial Regex Optimizer();

    [GeneratedRegex(@"\blearning_rate\s*=\s*(?<lr>[\w.+-]+)")]
    private static partial Regex TrainingArgumentsLr();

    [GeneratedRegex(@"\blr\s*=\s*(?<value>[\w.+-]+)")]
    private static partial Regex LrArgument();

    [GeneratedRegex(@"reduction\s*=\s*['""]sum['""]|\bloss\w*\s*=\s*.*\.sum\(\)\s*$")]
    private static partial Regex SumReduction();

    [GeneratedRegex(@"torch\.log\((?![^)]*(?:clamp|eps|\+\s*1e|softmax))")]
    private static partial Regex UnclampedLog();

    [GeneratedRegex(@"(?<target>\w+)\s*\+=\s*(?:\w+\.)?loss\b(?!\s*\.\s*(?:item|detach|cpu|float\(\)\.item))")]
    private static partial Regex LossAccumulated();

    [GeneratedRegex(@"\bnum_workers\s*=\s*(?<n>\d+)")]
    private static partial Regex Workers();

    [GeneratedRegex(@"os\.environ(?:\[['""]|\.setdefault\(['""])(?<name>NCCL_\w+)['""]\]?\s*[=,]\s*['""]?(?<value>[^'""\s)]+)")]
    private static partial Regex NcclEnv();

    [GeneratedRegex(@"init_process_group\(.*timeout\s*=\s*(?:datetime\.)?timedelta\(\s*(?:seconds\s*=\s*)?(?<seconds>\d+(?:\.\d+)?)\s*\)")]
    private static partial Regex ShortTimeout();
}
