using System.Text.Json;

namespace CclAgent.Core.Tracing;

/// <summary>An open span; dispose it (or call <see cref="Complete"/>) to emit the matching end event.</summary>
public sealed class TraceSpan : IDisposable
{
    private readonly TraceWriter _writer;
    private bool _ended;

    internal TraceSpan(TraceWriter writer, string id, string? parentId, string kind, string phase, string actor, int? step, long startTimestamp)
    {
        _writer = writer;
        Id = id;
        ParentId = parentId;
        Kind = kind;
        Phase = phase;
        Actor = actor;
        Step = step;
        StartTimestamp = startTimestamp;
    }

    public string Id { get; }
    public string? ParentId { get; }
    public string Kind { get; }
    public string Phase { get; }
    public string Actor { get; }
    public int? Step { get; }
    internal long StartTimestamp { get; }

    /// <summary>Status written by Dispose when Complete was not called: an exception or cancellation left the span open.</summary>
    public string DefaultStatus { get; set; } = "aborted";

    public void Complete(string status = "ok", JsonElement? payload = null)
    {
        if (_ended)
        {
            return;
        }

        _ended = true;
        _writer.EndSpan(this, status, payload);
    }

    public void Dispose() => Complete(DefaultStatus);
}
