using System.Text.Json;

namespace CclAgent.Watch.Tests.RealLogs;

/// <summary>What <c>ccl-agent watch --once --json</c> said about one log: its events, reduced to what the scorer compares.</summary>
internal sealed record WatchRun(
    int ExitCode,
    string Format,
    int Records,
    string FinalPhase,
    IReadOnlyList<(string Phase, int FromLine, int ToLine)> Phases,
    IReadOnlyList<(string Kind, int Line)> Alerts,
    IReadOnlyList<WatchAdvice> Advice,
    WatchBest? FinalBest,
    int PhaseChanges)
{
    public static WatchRun Parse(int exitCode, string stdout)
    {
        var alerts = new List<(string, int)>();
        var advice = new List<WatchAdvice>();
        JsonElement? summary = null;
        int changes = 0;
        foreach (string line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            JsonElement e = JsonDocument.Parse(line).RootElement.Clone();
            switch (e.GetProperty("type").GetString())
            {
                case "alert":
                    alerts.Add((e.GetProperty("kind").GetString()!, e.GetProperty("line").GetInt32()));
                    break;
                case "advice":
                    advice.Add(WatchAdvice.From(e));
                    break;
                case "phase_change":
                    changes++;
                    break;
                case "summary":
                    summary = e;
                    break;
            }
        }

        if (summary is not { } s)
        {
            return new WatchRun(exitCode, "(no summary)", 0, "(none)", [], alerts, advice, null, changes);
        }

        var phases = s.GetProperty("phases").EnumerateArray()
            .Select(p => (p.GetProperty("phase").GetString()!, p.GetProperty("from_line").GetInt32(), p.GetProperty("to_line").GetInt32()))
            .ToList();
        WatchBest? best = s.TryGetProperty("best", out JsonElement b) && b.ValueKind == JsonValueKind.Object ? WatchBest.From(b) : null;
        return new WatchRun(exitCode, s.GetProperty("format").GetString()!, s.GetProperty("records").GetInt32(),
            s.GetProperty("final_phase").GetString()!, phases, alerts, advice, best, changes);
    }
}
