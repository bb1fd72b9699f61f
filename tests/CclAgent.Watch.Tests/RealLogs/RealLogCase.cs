using System.Text.Json;
using CclAgent.Testing;
using static CclAgent.Testing.CaseJson;

namespace CclAgent.Watch.Tests.RealLogs;

/// <summary>
/// One real training log of the corpus and what a person reading it by hand expects <c>watch</c> to say
/// (RealLogs/README.md explains the fields). Read from <c>RealLogs/&lt;id&gt;/case.json</c>.
/// </summary>
internal sealed record RealLogCase(
    string Id,
    string Directory,
    string LogPath,
    string Split,
    string Source,
    IReadOnlyList<string> Formats,
    int MinRecords,
    IReadOnlyList<string> FinalPhases,
    IReadOnlyList<LineWindow> MustVisit,
    IReadOnlyList<string> MustNotVisit,
    IReadOnlyList<LineWindow> AlertsRequired,
    IReadOnlyList<string> AlertsMayFire,
    bool? EarlyStop,
    int? MetricStoppedImprovingAtLine,
    string? CheckpointContains)
{
    public static string CorpusDirectory { get; } = Path.Combine(RepoPaths.Root, "tests", "CclAgent.Watch.Tests", "RealLogs");

    public static IReadOnlyList<RealLogCase> LoadAll() => CaseJson.LoadAll(CorpusDirectory, Load);

    public static RealLogCase Load(string caseFile)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(caseFile));
        JsonElement root = document.RootElement;
        JsonElement expect = root.GetProperty("expect");
        string directory = Path.GetDirectoryName(caseFile)!;
        JsonElement source = root.GetProperty("source");
        return new RealLogCase(
            Id: root.GetProperty("id").GetString()!,
            Directory: directory,
            LogPath: Path.Combine(directory, root.GetProperty("log").GetString()!),
            Split: root.GetProperty("split").GetString()!,
            Source: source.GetProperty("url").GetString()!,
            Formats: Strings(expect, "format"),
            MinRecords: expect.TryGetProperty("min_records", out JsonElement min) ? min.GetInt32() : 1,
            FinalPhases: Strings(expect, "final_phase"),
            MustVisit: Windows(expect, "must_visit", "phase"),
            MustNotVisit: Strings(expect, "must_not_visit"),
            AlertsRequired: Windows(expect, "alerts_required", "kind"),
            AlertsMayFire: Strings(expect, "alerts_may_fire"),
            EarlyStop: OptionalBool(expect, "early_stop"),
            MetricStoppedImprovingAtLine: OptionalInt(expect, "metric_stopped_improving_at_line"),
            CheckpointContains: OptionalString(expect, "checkpoint_contains"));
    }

    private static List<LineWindow> Windows(JsonElement parent, string name, string nameField) =>
        parent.TryGetProperty(name, out JsonElement list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray()
                .Select(e => new LineWindow(e.GetProperty(nameField).GetString()!, e.GetProperty("from_line").GetInt32(), e.GetProperty("to_line").GetInt32()))
                .ToList()
            : [];
}
