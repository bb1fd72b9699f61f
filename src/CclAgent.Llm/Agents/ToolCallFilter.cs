using System.Text.Json.Nodes;
using Microsoft.SemanticKernel;

namespace CclAgent.Llm.Agents;

/// <summary>
/// SK's hook around every automatic tool call: records it (round, tool, arguments, duration, status), refuses an
/// identical repeated call with a structured error instead of running it, unwraps the function's
/// <see cref="ToolOutcome"/> into the JSON the model sees, and ends the run when the round cap is reached
/// (the context's Terminate flag: no further model request is made).
/// </summary>
internal sealed class ToolCallFilter(AgentRunState state, TimeProvider time, Func<string, string> redact) : IAutoFunctionInvocationFilter
{
    public async Task OnAutoFunctionInvocationAsync(AutoFunctionInvocationContext context, Func<AutoFunctionInvocationContext, Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        string name = context.Function.Name;
        JsonObject arguments = context.Arguments is null ? [] : ToolFunctions.ToJson(context.Arguments);
        long start = time.GetTimestamp();
        ToolOutcome outcome;
        if (!state.FirstTime(name, arguments))
        {
            outcome = ToolResults.FromError("repeated_call", $"{name} was already called with these arguments; its result is above. Call another tool or answer.", AgentToolStatus.Refused);
        }
        else
        {
            await next(context);
            outcome = context.Result.GetValue<object>() as ToolOutcome
                ?? ToolResults.FromError("no_result", $"{name} returned nothing the agent understands");
        }

        context.Result = new FunctionResult(context.Function, outcome.ModelView);
        state.ToolCalls.Add(new AgentToolCall(state.Rounds, name, MaskArguments(arguments), Math.Round(time.GetElapsedTime(start).TotalMilliseconds, 3), outcome.Status)
        {
            Error = outcome.Error,
            Truncated = outcome.Truncated,
            Result = outcome.ModelView.GetRawText(),
        });

        if (state.Rounds >= state.MaxRounds)
        {
            // The reply of the last allowed round asked for tools: run them (their results are the best-effort
            // evidence), but send nothing more to the model.
            state.CapHit = true;
            context.Terminate = true;
        }
    }

    private JsonObject MaskArguments(JsonObject arguments) =>
        JsonNode.Parse(ToolResults.Mask(arguments, redact)) as JsonObject ?? [];
}
