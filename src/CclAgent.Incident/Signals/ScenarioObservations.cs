using CclAgent.Incident.Metrics;
using CclAgent.Incident.Scenarios;
using CclAgent.Incident.Tools;

namespace CclAgent.Incident.Signals;

/// <summary>Observations straight from a whole scenario: how the system model sees the world it simulates.</summary>
internal static class ScenarioObservations
{
    public static Observations From(Scenario scenario)
    {
        var o = new Observations { Config = scenario.Config, Runtime = scenario.Runtime, Gpus = scenario.Gpus, PreTelemetry = scenario.PreTelemetry };
        Add(o, scenario.ServiceLog, "logs/service.log", system: false);
        Add(o, scenario.DmesgLog, "logs/dmesg.log", system: true);
        Add(o, scenario.JournalLog, "logs/journal.log", system: true);
        var samples = scenario.MetricsText is string text ? PrometheusTextParser.Parse(text).Samples.ToList() : [];
        if (samples.Count > 0 || scenario.PreTelemetry is not null)
        {
            o.Analysis = AnalyzeMetricsTool.Analyze(samples, scenario.PreTelemetry);
        }

        return o;
    }

    private static void Add(Observations o, string? text, string source, bool system)
    {
        if (text is not null)
        {
            o.AddLines(LogText.Numbered(LogText.Select(text, [], null, int.MaxValue), source), source, system);
        }
    }
}
