using CclAgent.Llm.Context;

namespace CclAgent.Llm.Calls;

/// <summary>The context window of a call: its budget, what it used, and each section's fate.</summary>
public sealed record PackContextWindow(int BudgetTokens, int UsedTokens, IReadOnlyList<SectionReport> Sections, IReadOnlyList<string> Citations);
