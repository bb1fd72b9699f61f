using System.Text;

namespace CclAgent.Llm.Context;

/// <summary>
/// Fits prioritized sections into a token budget. Sections are admitted from the highest priority down;
/// the first one that does not fit is cut at a line boundary (if enough room is left to be useful) and
/// every lower-priority section is dropped. The text keeps the caller's section order, so the prompt
/// reads the same whatever was cut, and the report says exactly what the model saw.
/// </summary>
public sealed class ContextWindow
{
    /// <summary>A section is only truncated into the window when at least this many tokens remain for it.</summary>
    public const int MinimumUsefulTokens = 40;

    private ContextWindow(string text, IReadOnlyList<SectionReport> sections, int budget)
    {
        Text = text;
        Sections = sections;
        Budget = budget;
    }

    public string Text { get; }
    public IReadOnlyList<SectionReport> Sections { get; }
    public int Budget { get; }
    public int TokensUsed => Sections.Sum(s => s.TokensIncluded);
    public IReadOnlyList<string> Citations => Sections.Where(s => s.Status != "dropped").SelectMany(s => s.Citations).Distinct(StringComparer.Ordinal).ToList();

    public static ContextWindow Build(IReadOnlyList<ContextSection> sections, int tokenBudget)
    {
        var admitted = new Dictionary<ContextSection, string>(ReferenceEqualityComparer.Instance);
        var reports = new Dictionary<ContextSection, SectionReport>(ReferenceEqualityComparer.Instance);
        int remaining = tokenBudget;
        bool full = false;
        foreach (ContextSection section in sections.OrderByDescending(s => s.Priority))
        {
            string rendered = Render(section.Name, section.Text);
            int cost = TokenEstimator.Estimate(rendered);
            if (!full && cost <= remaining)
            {
                admitted[section] = rendered;
                remaining -= cost;
                reports[section] = Report(section, "included", cost, cost, 0);
                continue;
            }

            if (!full && remaining >= MinimumUsefulTokens)
            {
                string cut = Truncate(section, remaining);
                int used = TokenEstimator.Estimate(cut);
                admitted[section] = cut;
                remaining -= used;
                reports[section] = Report(section, "truncated", cost, used, rendered.Length - cut.Length);
            }
            else
            {
                reports[section] = Report(section, "dropped", cost, 0, rendered.Length);
            }

            // Everything below a section that did not fit whole is lower priority: it goes.
            full = true;
        }

        var text = new StringBuilder();
        foreach (ContextSection section in sections.Where(admitted.ContainsKey))
        {
            text.Append(admitted[section]);
        }

        return new ContextWindow(text.ToString(), sections.Select(s => reports[s]).ToList(), tokenBudget);
    }

    private static string Render(string name, string text) => $"## {name}\n{text.TrimEnd()}\n\n";

    /// <summary>Keeps whole lines from the top (sections put their most important lines first) and marks the cut.</summary>
    private static string Truncate(ContextSection section, int tokens)
    {
        const string marker = "[… truncated to fit the context budget]\n\n";
        int budgetChars = TokenEstimator.Characters(tokens) - marker.Length - section.Name.Length - 5;
        var kept = new StringBuilder();
        foreach (string line in section.Text.TrimEnd().Split('\n'))
        {
            if (kept.Length + line.Length + 1 > budgetChars)
            {
                break;
            }

            kept.Append(line).Append('\n');
        }

        return $"## {section.Name}\n{kept}{marker}";
    }

    private static SectionReport Report(ContextSection section, string status, int estimated, int included, int cut) => new()
    {
        Name = section.Name,
        Priority = section.Priority,
        Status = status,
        TokensEstimated = estimated,
        TokensIncluded = included,
        CharactersCut = cut,
        Citations = status == "dropped" ? [] : section.Citations,
    };
}
