using System.Text.Json;
using System.Text.Json.Nodes;
using CclAgent.Llm.Clients;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace CclAgent.Llm.Agents;

/// <summary>
/// A bounded tool-calling agent on Semantic Kernel over the project's <see cref="IChatClient"/> layer: the tools are
/// kernel functions, SK's automatic function calling (<see cref="FunctionChoiceBehavior.Auto"/>) runs the loop, and
/// the run is held to a hard cap of model rounds and a hard wall-clock timeout. It never throws for a model
/// problem (cap, timeout, unreachable or malformed server): those come back as <see cref="AgentRunResult.Stop"/>
/// so the caller can fall back. Only the caller's own cancellation raises <see cref="OperationCanceledException"/>.
/// </summary>
public sealed class ToolCallingAgent
{
    /// <summary>The SK plugin the tools live in; the model sees each tool as <c>tools_NAME</c>.</summary>
    public const string PluginName = "tools";

    private readonly ModelConnection _connection;
    private readonly TimeProvider _time;
    private readonly string? _llmDirectory;

    /// <param name="connection">The model (any provider); its API key is masked out of everything written.</param>
    /// <param name="time">Clock of the wall-clock timeout and of every duration recorded.</param>
    /// <param name="llmDirectory">The run's llm/ folder for the per-round prompt packs; null writes none.</param>
    public ToolCallingAgent(ModelConnection connection, TimeProvider time, string? llmDirectory)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(time);
        _connection = connection;
        _time = time;
        _llmDirectory = llmDirectory;
    }

    public async Task<AgentRunResult> RunAsync(AgentRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfLessThan(request.MaxRounds, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(request.MaxRounds, AgentRequest.RoundLimit);
        var state = new AgentRunState(request.MaxRounds);
        if (!_connection.Settings.Enabled)
        {
            return Result(state, AgentStopReason.ModelError, "provider none: no model to run the agent", null);
        }

        using var timeout = new CancellationTokenSource(request.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        using var counting = new RoundCountingChatClient(_connection, state, _time, _llmDirectory, request, ToolsSchema(request.Tools));
        using IChatClient pipeline = counting.AsBuilder().UseKernelFunctionInvocation().Build();
        Kernel kernel = BuildKernel(pipeline, request, state);

        var history = new ChatHistory(request.SystemPrompt);
        history.AddUserMessage(request.UserPrompt);
        var settings = new PromptExecutionSettings
        {
            ModelId = _connection.Settings.Model,
            // RetainArgumentTypes: the tools get the model's JSON values (numbers, arrays), not everything turned into
            // strings. SK marks it experimental (SKEXP0001); ToolFunctions.ToJson also takes strings, should it go.
#pragma warning disable SKEXP0001
            FunctionChoiceBehavior = FunctionChoiceBehavior.Auto(options: new FunctionChoiceBehaviorOptions { RetainArgumentTypes = true }),
#pragma warning restore SKEXP0001
        };

        try
        {
            IChatCompletionService chat = pipeline.AsChatCompletionService(kernel.Services);
            ChatMessageContent reply = await chat.GetChatMessageContentAsync(history, settings, kernel, linked.Token);
            return state.CapHit
                ? Result(state, AgentStopReason.RoundCap, $"the model still wanted tools after {state.MaxRounds} rounds", null)
                : Result(state, AgentStopReason.Completed, null, _connection.Redact(reply.Content ?? string.Empty));
        }
        catch (AgentModelException ex)
        {
            return Result(state, AgentStopReason.ModelError, ex.Message, null);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return Result(state, AgentStopReason.Timeout, $"no answer within {request.Timeout.TotalSeconds:0.###} s", null);
        }
    }

    private Kernel BuildKernel(IChatClient pipeline, AgentRequest request, AgentRunState state)
    {
        IKernelBuilder builder = Kernel.CreateBuilder();
        builder.Services.AddSingleton(pipeline);
        Kernel kernel = builder.Build();
        List<KernelFunction> functions = request.Tools.Select(t => ToolFunctions.Create(t, _connection.Redact, request.MaxToolResultChars)).ToList();
        kernel.Plugins.Add(KernelPluginFactory.CreateFromFunctions(PluginName, functions));
        kernel.AutoFunctionInvocationFilters.Add(new ToolCallFilter(state, _time, _connection.Redact));
        return kernel;
    }

    private static AgentRunResult Result(AgentRunState state, AgentStopReason stop, string? detail, string? text) => new()
    {
        FinalText = text,
        Rounds = state.Rounds,
        Stop = stop,
        StopDetail = detail,
        ToolCalls = state.ToolCalls.ToList(),
        RoundLog = state.RoundLog.ToList(),
    };

    /// <summary>The tools as declared (for the prompt packs): name, description, parameters schema.</summary>
    private static JsonElement ToolsSchema(IReadOnlyList<AgentTool> tools)
    {
        var array = new JsonArray();
        foreach (AgentTool tool in tools)
        {
            array.Add(new JsonObject
            {
                ["name"] = PluginName + "_" + tool.Name,
                ["description"] = tool.Description,
                ["parameters"] = JsonNode.Parse(tool.ParametersSchema.GetRawText()),
            });
        }

        return ToolResults.ToElement(array);
    }
}
