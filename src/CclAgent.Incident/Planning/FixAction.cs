using System.Text.Json.Nodes;

namespace CclAgent.Incident.Planning;

/// <summary>One action of a fix plan: its kind, what it changes (a config key such as runtime.max_num_seqs, or a node), the new value, why.</summary>
public sealed record FixAction(FixActionKind Kind, string Target, JsonNode? Value, string Rationale);
