using System.Text.Json;
using CclAgent.Testing;
using static CclAgent.Testing.CaseJson;

namespace CclAgent.Diagnosis.Tests.RealFailures;

/// <summary>
/// One real failure of the corpus: the excerpt pasted in a public thread, the cause confirmed there, and the categories
/// a careful person accepts as the top answer (RealFailures/README.md). Read from <c>RealFailures/&lt;id&gt;/case.json</c>.
/// </summary>
internal sealed record RealFailureCase(
    string Id,
    string Directory,
    string Split,
    string Source,
    string Kind,
    IReadOnlyList<string> LogPaths,
    IReadOnlyList<string> AcceptableCategories,
    IReadOnlyList<string> ExpectedFixMentions)
{
    public static string CorpusDirectory { get; } = Path.Combine(RepoPaths.Root, "tests", "CclAgent.Diagnosis.Tests", "RealFailures");

    public static IReadOnlyList<RealFailureCase> LoadAll() => CaseJson.LoadAll(CorpusDirectory, Load);

    public static RealFailureCase Load(string caseFile)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(caseFile));
        JsonElement root = document.RootElement;
        string directory = Path.GetDirectoryName(caseFile)!;
        return new RealFailureCase(
            Id: root.GetProperty("id").GetString()!,
            Directory: directory,
            Split: root.GetProperty("split").GetString()!,
            Source: root.GetProperty("source").GetProperty("url").GetString()!,
            Kind: root.TryGetProperty("kind", out JsonElement kind) ? kind.GetString() ?? "" : "",
            LogPaths: Strings(root, "logs").Select(name => Path.Combine(directory, name)).ToList(),
            AcceptableCategories: Strings(root, "acceptable_categories"),
            ExpectedFixMentions: Strings(root, "expected_fix_mentions"));
    }
}
