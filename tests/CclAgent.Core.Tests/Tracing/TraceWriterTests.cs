using System.Text.Json;
using CclAgent.Core.Tests.Support;
using CclAgent.Core.Tracing;
using Microsoft.Extensions.Time.Testing;
using CclAgent.Testing;

namespace CclAgent.Core.Tests.Tracing;

public sealed class TraceWriterTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(Start);
    private readonly TraceWriter _trace;

    public TraceWriterTests() => _trace = new TraceWriter(Path.Combine(_dir.Path, "trace", "events.jsonl"), "run-1", _time);

    public void Dispose()
    {
        _trace.Dispose();
        _dir.Dispose();
    }

    private IReadOnlyList<JsonElement> Events() => TraceFile.Events(_trace.FilePath);

    [Fact]
    public void An_event_is_one_line_with_every_field_in_snake_case()
    {
        using JsonDocument payload = JsonDocument.Parse("""{"bytes":1024}""");
        string parent = _trace.Emit(new TraceEntry("run.start", "setup", "cli"));

        _trace.Emit(new TraceEntry("trial.result", "online", "runner")
        {
            Step = 3,
            Status = "ok",
            DurationMs = 12.5,
            ParentId = parent,
            Payload = payload.RootElement,
            Refs = ["tool:3:1"],
        });

        string line = TraceFile.Lines(_trace.FilePath)[1];
        JsonElement e = JsonDocument.Parse(line).RootElement;
        Assert.Equal(
            ["schema_version", "ts", "run_id", "event_id", "parent_id", "phase", "step", "actor", "type", "status", "duration_ms", "payload", "refs"],
            e.EnumerateObject().Select(p => p.Name));
        Assert.Equal(1, e.GetProperty("schema_version").GetInt32());
        Assert.Equal(Start, e.GetProperty("ts").GetDateTimeOffset());
        Assert.Equal("run-1", e.Text("run_id"));
        Assert.Equal(parent, e.Text("parent_id"));
        Assert.Equal(3, e.GetProperty("step").GetInt32());
        Assert.Equal(12.5, e.GetProperty("duration_ms").GetDouble());
        Assert.Equal(1024, e.GetProperty("payload").GetProperty("bytes").GetInt32());
        Assert.Equal("tool:3:1", e.GetProperty("refs")[0].GetString());
    }

    [Fact]
    public void Unset_optional_fields_are_written_as_null_so_every_line_has_all_fields()
    {
        _trace.Emit(new TraceEntry("note", "setup", "cli"));

        JsonElement e = Assert.Single(Events());
        Assert.Equal(JsonValueKind.Null, e.GetProperty("parent_id").ValueKind);
        Assert.Equal(JsonValueKind.Null, e.GetProperty("refs").ValueKind);
        Assert.Equal("ok", e.Text("status"));
    }

    [Fact]
    public void Event_ids_are_sequential_and_the_line_matches_Render()
    {
        string first = _trace.Emit(new TraceEntry("a", "setup", "cli"));
        string second = _trace.Emit(new TraceEntry("b", "setup", "cli"));

        Assert.Equal(("e000001", "e000002"), (first, second));
        var expected = new TraceEvent { Ts = Start, RunId = "run-1", EventId = "e000002", Phase = "setup", Actor = "cli", Type = "b" };
        Assert.Equal(TraceWriter.Render(expected), TraceFile.Lines(_trace.FilePath)[1]);
    }

    [Fact]
    public void A_span_emits_start_and_end_with_the_fake_clock_duration()
    {
        using (TraceSpan span = _trace.BeginSpan("step", "online", "tuner", step: 2))
        {
            _time.Advance(TimeSpan.FromMilliseconds(250));
            span.Complete("ok");
        }

        IReadOnlyList<JsonElement> events = Events();
        Assert.Equal(2, events.Count);
        (JsonElement start, JsonElement end) = (events[0], events[1]);
        Assert.Equal(("step.start", "started"), (start.Text("type"), start.Text("status")));
        Assert.Equal(("step.end", "ok"), (end.Text("type"), end.Text("status")));
        Assert.Equal(start.Text("event_id"), end.Text("parent_id"));
        Assert.Equal(250, end.GetProperty("duration_ms").GetDouble());
        Assert.Equal(2, end.GetProperty("step").GetInt32());
        Assert.Equal(Start.AddMilliseconds(250), end.GetProperty("ts").GetDateTimeOffset());
    }

    [Fact]
    public void A_span_disposed_without_Complete_ends_as_aborted_once()
    {
        TraceSpan span = _trace.BeginSpan("step", "online", "tuner");

        span.Dispose();
        span.Dispose();

        Assert.Equal(["step.start", "step.end"], Events().Select(e => e.Text("type")));
        Assert.Equal("aborted", Events()[1].Text("status"));
    }

    [Fact]
    public void Nested_spans_parent_their_events_to_the_innermost_open_span()
    {
        string outerId;
        string innerId;
        using (TraceSpan outer = _trace.BeginSpan("phase", "online", "agent"))
        {
            outerId = outer.Id;
            using (TraceSpan inner = _trace.BeginSpan("step", "online", "agent", step: 1))
            {
                innerId = inner.Id;
                Assert.Equal(outerId, inner.ParentId);
                _trace.Emit(new TraceEntry("in.inner", "online", "agent"));
            }

            _trace.Emit(new TraceEntry("in.outer", "online", "agent"));
        }

        _trace.Emit(new TraceEntry("after", "online", "agent"));

        Dictionary<string, string?> parents = Events().ToDictionary(e => e.Text("type")!, e => e.Text("parent_id"));
        Assert.Null(parents["phase.start"]);
        Assert.Equal(outerId, parents["step.start"]);
        Assert.Equal(innerId, parents["in.inner"]);
        Assert.Equal(innerId, parents["step.end"]);
        Assert.Equal(outerId, parents["in.outer"]);
        Assert.Equal(outerId, parents["phase.end"]);
        Assert.Null(parents["after"]);
        Assert.Null(_trace.CurrentSpanId);
    }

    [Fact]
    public async Task Concurrent_emits_from_many_tasks_give_whole_lines()
    {
        const int tasks = 32;
        const int perTask = 200;
        string padding = new('x', 2000);

        await Task.WhenAll(Enumerable.Range(0, tasks).Select(t => Task.Run(() =>
        {
            using JsonDocument payload = JsonDocument.Parse($$"""{"task":{{t}},"pad":"{{padding}}"}""");
            for (int i = 0; i < perTask; i++)
            {
                _trace.Emit(new TraceEntry("tick", "online", $"task-{t}") { Step = i, Payload = payload.RootElement });
            }
        })));

        IReadOnlyList<JsonElement> events = Events();
        Assert.Equal(tasks * perTask, events.Count);
        Assert.Equal(tasks * perTask, events.Select(e => e.Text("event_id")).Distinct().Count());
        Assert.All(events, e => Assert.Equal(padding, e.GetProperty("payload").Text("pad")));
    }

    [Fact]
    public async Task Spans_on_parallel_tasks_do_not_adopt_each_others_events()
    {
        await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(async () =>
        {
            using TraceSpan span = _trace.BeginSpan("work", "online", $"task-{t}");
            await Task.Yield();
            _trace.Emit(new TraceEntry("inside", "online", $"task-{t}"));
        })));

        IReadOnlyList<JsonElement> events = Events();
        foreach (JsonElement inside in events.Where(e => e.Text("type") == "inside"))
        {
            JsonElement start = events.Single(e => e.Text("event_id") == inside.Text("parent_id"));
            Assert.Equal(("work.start", inside.Text("actor")), (start.Text("type"), start.Text("actor")));
        }
    }

    [Fact]
    public void A_second_writer_appends_to_an_existing_trace()
    {
        _trace.Emit(new TraceEntry("first", "setup", "cli"));
        _trace.Dispose();

        using (var again = new TraceWriter(_trace.FilePath, "run-1", _time))
        {
            again.Emit(new TraceEntry("second", "setup", "cli"));
        }

        Assert.Equal(["first", "second"], Events().Select(e => e.Text("type")));
    }
}
