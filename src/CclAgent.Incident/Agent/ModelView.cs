namespace CclAgent.Incident.Agent;

/// <summary>A tool result exactly as a model would be shown it: masked, capped (written to llm/ as a prompt pack).</summary>
public sealed record ModelView(int Round, string Tool, string Text);
