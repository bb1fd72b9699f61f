using System.Globalization;

namespace CclAgent.Reporting.Tests;

/// <summary>
/// Writes a run directory of any length with the files the report reads, for size and escaping only: its numbers
/// are made up, so nothing about tuning quality is judged on it (the real runs come from `tune --dry-run`).
/// </summary>
internal static class SyntheticRunDirectory
{
    public static string Write(string root, int trials, string workload = "synthetic", string? failureMessage = null)
    {
        string dir = Path.Combine(root, $"20260101-000000-{workload}-000000");
        foreach (string sub in new[] { "postrun", "steps", "offline", "llm" })
        {
            Directory.CreateDirectory(Path.Combine(dir, sub));
        }

        File.WriteAllText(Path.Combine(dir, "postrun", "summary.json"), Invariant($$"""
            {"run_id":"{{Path.GetFileName(dir)}}","workload":{{Json(workload)}},"mode":"dry-run","baseline_iteration_ms":1000,"best_iteration_ms":900,
             "speedup":1.1111,"trials":{{trials}},"failed_trials":1,"best_config":{"NCCL_ALGO":"Ring"},"stop_reason":"budget",
             "oracle_iteration_ms":890,"oracle_fraction":0.99,"llm_provider":"ollama","llm_calls":1,"llm_unavailable":"Connection refused",
             "artifacts":["postrun/summary.json","steps/"]}
            """));
        File.WriteAllText(Path.Combine(dir, "postrun", "nccl_tuner.conf"), "# header\nallreduce,0,65536,ring,simple,4,1,8,-1,-1\n");
        File.WriteAllText(Path.Combine(dir, "offline", "plan.json"), """{"importance":{"NCCL_ALGO":0.2,"NCCL_BUFFSIZE":0.01},"pruned_dimensions":["NCCL_BUFFSIZE"],"memory_rules":[{"id":"abc","patch":{"NCCL_ALGO":"Ring"},"description":"ring wins","score":0.5,"similarity":0.9}],"avoid_rules":[]}""");
        File.WriteAllText(Path.Combine(dir, "llm", "call_0001.json"), """{"call_id":"call_0001","purpose":"baseline","provider":"ollama","model":"llama3.1","outcome":"error","outcome_reason":"Connection refused","latency_ms":12.5}""");
        // A candidate trace of realistic size, so the reader parses (and skips) as much as a real run's step files hold.
        string trace = "[" + string.Join(",", Enumerable.Range(0, 20).Select(i => Invariant($$"""{"id":"candidate:0:{{i}}","source":"descent","config":{"NCCL_ALGO":"Ring","NCCL_NTHREADS":"256"},"patch":{"NCCL_NTHREADS":"256"},"dropped_at":"ranked","reason":"lower acquisition","risk":0.1,"predicted_ms":950.5,"acquisition":1.5,"rank":{{i}}}"""))) + "]";
        for (int k = 0; k <= trials; k++)
        {
            bool failed = k == 3;
            string status = failed ? "failed" : "ok";
            string decision = k == 0 ? "baseline" : failed ? "rollback" : k % 7 == 1 ? "accept" : "reject";
            string failure = failed ? $",\"failure_class\":\"nccl_error\",\"failure_message\":{Json(failureMessage ?? "NCCL WARN unhandled cuda error")},\"diagnosis\":{{\"category\":\"cuda\",\"root_cause\":\"driver mismatch\",\"confidence\":0.8}}" : "";
            double median = failed ? 0 : 1000 - (k * 100.0 / (trials + 1)) + (k % 5);
            File.WriteAllText(Path.Combine(dir, "steps", $"step_{k}.json"), Invariant($$"""
                {"step":{{k}},"kind":"{{(k == 0 ? "baseline" : "trial")}}","source":"descent","config_delta":{"NCCL_NTHREADS":"{{64 << (k % 4)}}"},"status":"{{status}}"{{failure}},
                 "metrics":{"iteration_ms_median":{{median}},"true_iteration_ms":{{median}}},"decision":{"decision":"{{decision}}","reason":"step {{k}}"},"candidate_trace":{{trace}}}
                """));
        }

        return dir;
    }

    private static string Json(string s) => System.Text.Json.JsonSerializer.Serialize(s, CclAgent.Core.Json.CoreJsonContext.Default.String);

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
