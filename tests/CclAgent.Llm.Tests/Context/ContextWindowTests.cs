using CclAgent.Llm.Context;

namespace CclAgent.Llm.Tests.Context;

public sealed class ContextWindowTests
{
    private static ContextSection Section(string name, int priority, int lines) =>
        new(name, priority, string.Join("\n", Enumerable.Range(1, lines).Select(i => $"{name} line {i:000} with some words"))) { Citations = [$"rag:{name}:0"] };

    [Fact]
    public void Everything_fits_a_large_budget_in_the_callers_order()
    {
        ContextWindow window = ContextWindow.Build([Section("workload", 90, 3), Section("knowledge snippets", 10, 3)], 10_000);

        Assert.All(window.Sections, s => Assert.Equal("included", s.Status));
        Assert.True(window.Text.IndexOf("## workload", StringComparison.Ordinal) < window.Text.IndexOf("## knowledge snippets", StringComparison.Ordinal));
        Assert.Equal(window.Sections.Sum(s => s.TokensEstimated), window.TokensUsed);
    }

    [Fact]
    public void Lowest_priority_sections_are_cut_first()
    {
        var sections = new[] { Section("knowledge snippets", 40, 40), Section("workload", 95, 10), Section("recent trials", 80, 40), Section("memory rules", 50, 40) };

        ContextWindow window = ContextWindow.Build(sections, 600);

        var status = window.Sections.ToDictionary(s => s.Name, s => s.Status);
        Assert.Equal("included", status["workload"]);
        Assert.Equal("included", status["recent trials"]);
        Assert.Equal("truncated", status["memory rules"]);
        Assert.Equal("dropped", status["knowledge snippets"]);
        Assert.True(window.TokensUsed <= 600);
        Assert.Contains("[… truncated to fit the context budget]", window.Text);
        Assert.DoesNotContain("knowledge snippets line", window.Text);
        Assert.DoesNotContain("rag:knowledge snippets:0", window.Citations);
        Assert.True(window.Sections.Single(s => s.Name == "memory rules").CharactersCut > 0);
    }

    [Fact]
    public void A_section_is_dropped_rather_than_cut_to_a_useless_stub()
    {
        ContextWindow window = ContextWindow.Build([Section("workload", 95, 10), Section("memory rules", 50, 40)], 110);

        Assert.Equal("dropped", window.Sections.Single(s => s.Name == "memory rules").Status);
    }

    [Fact]
    public void Token_estimate_is_about_four_characters_per_token()
    {
        Assert.Equal(0, TokenEstimator.Estimate(string.Empty));
        Assert.Equal(1, TokenEstimator.Estimate("abcd"));
        Assert.Equal(3, TokenEstimator.Estimate("abcdefghi"));
    }
}
