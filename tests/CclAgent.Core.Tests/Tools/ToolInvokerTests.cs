using System.Text.Json;
using CclAgent.Core.Tests.Support;
using CclAgent.Core.Tools;
using CclAgent.Core.Tracing;
using Microsoft.Extensions.Time.Testing;
using CclAgent.Testing;

namespace CclAgent.Core.Tests.Tools;

public sealed class ToolInvokerTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly TraceWriter _trace;
    private readonly ToolInvoker _tools;

    public ToolInvokerTests()
    {
        _trace = new TraceWriter(Path.Combine(_dir.Path, "events.jsonl"), "run-1", _time);
        _tools = new ToolInvoker(_trace);
    }

    public void Dispose()
    {
        _trace.Dispose();
        _dir.Dispose();
    }

    private IReadOnlyList<JsonElement> Events() => TraceFile.Events(_trace.FilePath);

    [Fact]
    public async Task A_call_emits_a_call_and_result_pair_with_duration_and_evidence_ref()
    {
        using JsonDocument args = JsonDocument.Parse("""{"bytes":4096}""");
        var call = new ToolCall("microbenchmark", "offline", Step: 3)
        {
            Arguments = args.RootElement,
            DescribeResult = r => JsonSerializer.SerializeToElement((int)r),
        };

        int result = await _tools.InvokeAsync(call, async ct =>
        {
            await Task.Yield();
            _time.Advance(TimeSpan.FromMilliseconds(40));
            return 7;
        }, CancellationToken.None);

        Assert.Equal(7, result);
        IReadOnlyList<JsonElement> events = Events();
        Assert.Equal(2, events.Count);
        (JsonElement started, JsonElement finished) = (events[0], events[1]);
        Assert.Equal(("tool.call", "started", "microbenchmark", "offline"), (started.Text("type"), started.Text("status"), started.Text("actor"), started.Text("phase")));
        Assert.Equal(4096, started.GetProperty("payload").GetProperty("bytes").GetInt32());
        Assert.Equal(("tool.result", "ok"), (finished.Text("type"), finished.Text("status")));
        Assert.Equal(started.Text("event_id"), finished.Text("parent_id"));
        Assert.Equal(40, finished.GetProperty("duration_ms").GetDouble());
        Assert.Equal(7, finished.GetProperty("payload").GetInt32());
        Assert.All(events, e => Assert.Equal(["tool:3:1"], e.GetProperty("refs").EnumerateArray().Select(r => r.GetString())));
        Assert.All(events, e => Assert.Equal(3, e.GetProperty("step").GetInt32()));
    }

    [Fact]
    public async Task A_throwing_tool_is_recorded_as_an_error_and_the_exception_propagates()
    {
        var call = new ToolCall("runner", "online", Step: 1);

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            _tools.InvokeAsync<int>(call, _ => throw new InvalidOperationException("boom"), CancellationToken.None));

        JsonElement result = Events()[1];
        Assert.Equal(("tool.result", "error"), (result.Text("type"), result.Text("status")));
        Assert.Equal(JsonValueKind.Null, result.GetProperty("payload").ValueKind);
    }

    [Fact]
    public async Task A_cancelled_tool_is_recorded_as_cancelled()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var call = new ToolCall("runner", "online", Step: 1);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            _tools.InvokeAsync(call, async ct =>
            {
                await Task.Delay(Timeout.Infinite, ct);
                return 0;
            }, cts.Token));

        Assert.Equal("cancelled", Events()[1].Text("status"));
    }

    [Fact]
    public async Task Evidence_ids_count_calls_and_mark_a_missing_step_with_a_dash()
    {
        await _tools.Invoke(new ToolCall("compiler", "offline", Step: 5), () => 1);
        await _tools.Invoke(new ToolCall("compiler", "offline", Step: 5), () => 2);
        await _tools.Invoke(new ToolCall("memory", "setup"), () => 3);

        string[] refs = Events().Where(e => e.Text("type") == "tool.result").Select(e => e.GetProperty("refs")[0].GetString()!).ToArray();
        Assert.Equal(["tool:5:1", "tool:5:2", "tool:-:3"], refs);
    }

    [Fact]
    public async Task Tool_calls_inside_a_span_are_parented_to_it()
    {
        using TraceSpan span = _trace.BeginSpan("step", "online", "agent", step: 1);

        await _tools.Invoke(new ToolCall("sla", "online", Step: 1), () => true);

        Assert.Equal(span.Id, Events().Single(e => e.Text("type") == "tool.call").Text("parent_id"));
    }
}
