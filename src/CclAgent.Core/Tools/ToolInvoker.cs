using System.Text.Json;
using CclAgent.Core.Tracing;

namespace CclAgent.Core.Tools;

/// <summary>
/// The one instrumented wrapper every tool call goes through (microbenchmark, runner, compiler,
/// SLA check, memory, simulator): it emits tool.call and tool.result with duration and status,
/// and gives each call an evidence id "tool:&lt;step&gt;:&lt;call&gt;".
/// </summary>
public sealed class ToolInvoker(TraceWriter trace)
{
    private int _calls;

    public async Task<T> InvokeAsync<T>(ToolCall call, Func<CancellationToken, Task<T>> action, CancellationToken cancellationToken)
    {
        int callNumber = Interlocked.Increment(ref _calls);
        string evidenceId = $"tool:{call.Step?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}:{callNumber}";
        string callEventId = trace.Emit(new TraceEntry("tool.call", call.Phase, call.Tool)
        {
            Step = call.Step,
            Status = "started",
            Payload = call.Arguments,
            Refs = [evidenceId],
        });

        long start = trace.Time.GetTimestamp();
        string status = "error";
        JsonElement? resultPayload = null;
        try
        {
            T result = await action(cancellationToken);
            status = "ok";
            resultPayload = call.DescribeResult?.Invoke(result!);
            return result;
        }
        catch (OperationCanceledException)
        {
            status = "cancelled";
            throw;
        }
        finally
        {
            trace.Emit(new TraceEntry("tool.result", call.Phase, call.Tool)
            {
                Step = call.Step,
                Status = status,
                ParentId = callEventId,
                DurationMs = Math.Round(trace.Time.GetElapsedTime(start).TotalMilliseconds, 3),
                Payload = resultPayload,
                Refs = [evidenceId],
            });
        }
    }

    public Task<T> Invoke<T>(ToolCall call, Func<T> action) =>
        InvokeAsync(call, _ => Task.FromResult(action()), CancellationToken.None);
}
