using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CclAgent.Core.Json;
using CclAgent.Core.Tracing;
using CclAgent.Llm.Clients;
using CclAgent.Llm.Context;
using CclAgent.Llm.Replies;
using Microsoft.Extensions.AI;

namespace CclAgent.Llm.Calls;

/// <summary>
/// The agent's only way to talk to a model during a run. Every call is bounded (per-attempt timeout,
/// a few retries for transient failures, a call budget), traced (llm/call_&lt;id&gt;.json plus an llm.call
/// event) and checked (strict JSON against the reply schema, then the caller's validation, one repair
/// turn at most). The first transport failure makes the model unavailable for the rest of the run:
/// one warning, one llm.error event, and every later ask is skipped, so the run goes on deterministically.
/// </summary>
public sealed class LlmSession
{
    private const float Temperature = 0.2f;

    private readonly ModelConnection _connection;
    private readonly TraceWriter _trace;
    private readonly string _directory;
    private readonly TimeProvider _time;
    private readonly Action<string> _warn;
    private int _calls;
    private readonly ChatTransport _transport;

    public LlmSession(ModelConnection connection, TraceWriter trace, string llmDirectory, TimeProvider time, Action<string> warn)
    {
        _connection = connection;
        _trace = trace;
        _directory = llmDirectory;
        _time = time;
        _warn = warn;
        _transport = new ChatTransport(connection, time);
    }

    public LlmSettings Settings => _connection.Settings;

    /// <summary>True once any call got a reply from the model.</summary>
    public bool Used { get; private set; }

    /// <summary>Set by the first transport failure: no further calls this run.</summary>
    public string? UnavailableReason { get; private set; }

    public int Calls => _calls;

    public bool CanAsk => Settings.Enabled && UnavailableReason is null && _transport.Requests < Settings.MaxCalls;

    public async Task<LlmCallResult<T>> AskAsync<T>(LlmRequest request, JsonTypeInfo<T> contract, Func<T, ReplyValidation> validate, CancellationToken cancellationToken)
        where T : class
    {
        if (!Settings.Enabled)
        {
            return LlmCallResult<T>.Skipped("provider none");
        }

        if (UnavailableReason is not null)
        {
            return LlmCallResult<T>.Skipped("model unavailable: " + UnavailableReason);
        }

        if (_transport.Requests >= Settings.MaxCalls)
        {
            return LlmCallResult<T>.Skipped($"call budget of {Settings.MaxCalls} requests spent");
        }

        string callId = string.Create(CultureInfo.InvariantCulture, $"call_{++_calls:D4}");
        DateTimeOffset started = _time.GetUtcNow();
        long start = _time.GetTimestamp();
        ContextWindow window = ContextWindow.Build(request.Sections, Settings.ContextTokens);
        JsonElement schema = AIJsonUtilities.CreateJsonSchema(typeof(T), description: $"ccl-agent {request.Purpose} reply", serializerOptions: contract.Options);
        var options = new ChatOptions
        {
            ModelId = Settings.Model,
            Temperature = Temperature,
            MaxOutputTokens = Settings.MaxOutputTokens,
            ResponseFormat = ChatResponseFormat.ForJsonSchema(schema, request.Purpose, $"ccl-agent {request.Purpose} reply"),
        };

        var messages = new List<ChatMessage>
        {
            new(ChatRole.System, $"{request.Instructions}\n\nReply with exactly one JSON object that matches this JSON schema, and nothing else (no prose, no code fences):\n{schema.GetRawText()}"),
            new(ChatRole.User, $"{window.Text}## Task\n{request.Task}"),
        };

        var turns = new List<PackTurn>();
        ParsedReply<T>? parsed = null;
        ReplyValidation? validation = null;
        string? transportError = null;
        for (int turn = 1; turn <= 2; turn++)
        {
            ChatTurnResult result = await _transport.SendAsync(messages, options, cancellationToken);
            PackTurn record = result.ToPackTurn(turn, turn == 1 ? "initial" : "repair", messages.Sum(m => TokenEstimator.Estimate(m.Text)), _connection.Redact);
            if (result.Text is null)
            {
                transportError = result.Error;
                turns.Add(record);
                break;
            }

            Used = true;
            messages.Add(new ChatMessage(ChatRole.Assistant, result.Text));
            parsed = ReplyParser.Parse(result.Text, contract);
            string? problem;
            if (parsed.Ok)
            {
                validation = validate(parsed.Value!);
                record = record with { Parse = "ok", Validation = validation };
                problem = validation.IsClean ? null : "these proposals were rejected: " + string.Join("; ", validation.Rejected);
            }
            else
            {
                validation = null;
                record = record with { Parse = parsed.FailureKind!, ParseError = parsed.Error };
                problem = parsed.Error;
            }

            turns.Add(record);
            if (problem is null || turn == 2 || _transport.Requests >= Settings.MaxCalls)
            {
                break;
            }

            // One repair turn: say precisely what was wrong, ask for the whole reply again.
            messages.Add(new ChatMessage(ChatRole.User, $"Your reply was not usable: {problem}. Reply again with the complete corrected JSON object only, following the schema and the rules above."));
        }

        (string outcome, string? reason) = Outcome(transportError, parsed, validation);
        double latency = Math.Round(_time.GetElapsedTime(start).TotalMilliseconds, 3);
        var pack = new PromptPack
        {
            CallId = callId,
            Purpose = request.Purpose,
            Phase = request.Phase,
            Step = request.Step,
            Provider = LlmSettings.ProviderName(Settings.Provider),
            Model = Settings.Model,
            Endpoint = Settings.SafeEndpoint,
            StartedAt = started,
            RequestOptions = new PackRequestOptions
            {
                Temperature = Temperature,
                MaxOutputTokens = Settings.MaxOutputTokens,
                ResponseFormat = "json_schema",
                Schema = schema,
                Stream = Settings.Stream,
                TimeoutSeconds = Settings.Timeout.TotalSeconds,
                MaxRetries = Settings.MaxRetries,
                ApiKeySource = Settings.ApiKeySource,
            },
            ContextWindow = new PackContextWindow(window.Budget, window.TokensUsed, window.Sections, window.Citations),
            Messages = messages.Select(m => new PackMessage(m.Role.Value, _connection.Redact(m.Text))).ToList(),
            Turns = turns,
            Outcome = outcome,
            OutcomeReason = reason is null ? null : _connection.Redact(reason),
            LatencyMs = latency,
            InputTokens = Sum(turns.Select(t => t.InputTokens)),
            OutputTokens = Sum(turns.Select(t => t.OutputTokens)),
        };
        string file = Path.Combine(_directory, callId + ".json");
        await ArtifactJson.WriteAsync(file, pack, LlmJsonContext.Default.PromptPack, CancellationToken.None);

        _trace.Emit(new TraceEntry("llm.call", request.Phase, "llm")
        {
            Step = request.Step,
            Status = transportError is null ? "ok" : "error",
            DurationMs = latency,
            Payload = Payload(
                ("call_id", callId), ("purpose", request.Purpose), ("pack", $"llm/{callId}.json"), ("outcome", outcome),
                ("turns", turns.Count.ToString(CultureInfo.InvariantCulture)),
                ("input_tokens", pack.InputTokens?.ToString(CultureInfo.InvariantCulture) ?? string.Empty),
                ("output_tokens", pack.OutputTokens?.ToString(CultureInfo.InvariantCulture) ?? string.Empty)),
            Refs = ["llm:" + callId, .. window.Citations],
        });

        if (transportError is not null)
        {
            MarkUnavailable(callId, request, _connection.Redact(transportError));
            return new LlmCallResult<T>(callId, null, null, outcome, reason, window.Citations);
        }

        return new LlmCallResult<T>(callId, parsed?.Value, validation, outcome, reason, window.Citations);
    }

    private void MarkUnavailable(string callId, LlmRequest request, string error)
    {
        UnavailableReason = error;
        _trace.Emit(new TraceEntry("llm.error", request.Phase, "llm")
        {
            Step = request.Step,
            Status = "error",
            Payload = Payload(("call_id", callId), ("provider", LlmSettings.ProviderName(Settings.Provider)), ("model", Settings.Model), ("endpoint", Settings.SafeEndpoint), ("error", error), ("fallback", "deterministic")),
            Refs = ["llm:" + callId],
        });
        _warn($"warning: the language model is unavailable ({Settings}: {error}); continuing on the deterministic path without it (llm_used: false). Use --provider none to run without a model.");
    }

    private static (string Outcome, string? Reason) Outcome<T>(string? transportError, ParsedReply<T>? parsed, ReplyValidation? validation)
        where T : class
    {
        if (transportError is not null)
        {
            return ("error", transportError);
        }

        if (parsed is null || !parsed.Ok)
        {
            return ("discarded", $"{parsed?.FailureKind ?? "no reply"} after one repair: {parsed?.Error}");
        }

        if (validation is null || validation.Accepted.Count == 0)
        {
            return ("discarded", validation is null ? "not validated" : "no proposal passed validation after one repair: " + string.Join("; ", validation.Rejected));
        }

        return validation.IsClean
            ? ("accepted", null)
            : ("partially_accepted", "rejected after one repair: " + string.Join("; ", validation.Rejected));
    }

    private static long? Sum(IEnumerable<long?> values)
    {
        long total = 0;
        bool any = false;
        foreach (long? value in values)
        {
            if (value is long v)
            {
                total += v;
                any = true;
            }
        }

        return any ? total : null;
    }

    private static JsonElement Payload(params (string Key, string Value)[] values) =>
        ArtifactJson.ToElement(values.ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal), LlmJsonContext.Default.DictionaryStringString);

}
