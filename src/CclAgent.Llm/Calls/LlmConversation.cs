using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CclAgent.Llm.Clients;
using CclAgent.Llm.Context;
using CclAgent.Llm.Replies;
using Microsoft.Extensions.AI;

namespace CclAgent.Llm.Calls;

/// <summary>
/// One chat session whose context is kept across questions: every request carries the system prompt and
/// every earlier question and reply, so a later turn can build on what the model said before (diagnose's
/// analyze → correlate → root cause → recommendations). Bounded by a turn limit that counts every request,
/// repairs included, so the cost is known up front. Like <see cref="LlmSession"/> it never throws for a
/// model problem: JSON turns are parsed strictly with one repair at most, and the first transport failure
/// makes the model unavailable (one warning) so the caller continues deterministically.
/// </summary>
public sealed class LlmConversation
{
    private const float Temperature = 0.2f;

    private readonly ModelConnection _connection;
    private readonly ChatTransport _transport;
    private readonly TimeProvider _time;
    private readonly Action<string> _warn;
    private readonly int _maxTurns;
    private readonly List<ChatMessage> _messages;
    private readonly List<PromptPack> _packs = [];

    public LlmConversation(ModelConnection connection, TimeProvider time, string systemPrompt, int maxTurns, Action<string> warn)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _connection = connection;
        _time = time;
        _warn = warn;
        _maxTurns = maxTurns;
        _transport = new ChatTransport(connection, time);
        _messages = [new ChatMessage(ChatRole.System, systemPrompt)];
    }

    public LlmSettings Settings => _connection.Settings;

    /// <summary>Requests sent so far, repairs included; never more than the turn limit.</summary>
    public int Turns => _transport.Requests;

    public int MaxTurns => _maxTurns;

    /// <summary>True once the model answered at least once.</summary>
    public bool Used { get; private set; }

    /// <summary>Set by the first transport failure: nothing more is asked.</summary>
    public string? UnavailableReason { get; private set; }

    public bool CanAsk => Settings.Enabled && UnavailableReason is null && Turns < _maxTurns;

    /// <summary>The prompt packs of the questions asked so far, in order (call_0001, call_0002 …).</summary>
    public IReadOnlyList<PromptPack> Packs => _packs;

    /// <summary>A free-text question (no schema): the reply is kept in the context for the next turns.</summary>
    public Task<ConversationReply<string>> AskTextAsync(string purpose, string question, CancellationToken cancellationToken) =>
        ExchangeAsync<string>(purpose, question, null, null, cancellationToken);

    /// <summary>A structured question: the reply must be one JSON object of <typeparamref name="T"/>, with one repair turn at most.</summary>
    public Task<ConversationReply<T>> AskJsonAsync<T>(string purpose, string question, JsonTypeInfo<T> contract, CancellationToken cancellationToken)
        where T : class =>
        ExchangeAsync(purpose, question, contract, null, cancellationToken);

    /// <summary>The first question with its context built from prioritized sections under the token budget.</summary>
    public Task<ConversationReply<string>> AskTextAsync(string purpose, IReadOnlyList<ContextSection> sections, string task, CancellationToken cancellationToken)
    {
        ContextWindow window = ContextWindow.Build(sections, Settings.ContextTokens);
        return ExchangeAsync<string>(purpose, $"{window.Text}## Task\n{task}", null, window, cancellationToken);
    }

    private async Task<ConversationReply<T>> ExchangeAsync<T>(string purpose, string question, JsonTypeInfo<T>? contract, ContextWindow? window, CancellationToken cancellationToken)
        where T : class
    {
        if (!Settings.Enabled)
        {
            return ConversationReply<T>.Skipped("provider none");
        }

        if (UnavailableReason is not null)
        {
            return ConversationReply<T>.Skipped("model unavailable: " + UnavailableReason);
        }

        if (Turns >= _maxTurns)
        {
            return ConversationReply<T>.Skipped($"turn limit of {_maxTurns} reached");
        }

        string callId = string.Create(CultureInfo.InvariantCulture, $"call_{_packs.Count + 1:D4}");
        DateTimeOffset started = _time.GetUtcNow();
        long start = _time.GetTimestamp();
        JsonElement schema = contract is null
            ? JsonSerializer.SerializeToElement<string?>(null, LlmJsonContext.Default.String)
            : AIJsonUtilities.CreateJsonSchema(typeof(T), description: $"ccl-agent {purpose} reply", serializerOptions: contract.Options);
        var options = new ChatOptions { ModelId = Settings.Model, Temperature = Temperature, MaxOutputTokens = Settings.MaxOutputTokens };
        string text = question;
        if (contract is not null)
        {
            options.ResponseFormat = ChatResponseFormat.ForJsonSchema(schema, purpose, $"ccl-agent {purpose} reply");
            text += $"\n\nReply with exactly one JSON object that matches this JSON schema, and nothing else (no prose, no code fences):\n{schema.GetRawText()}";
        }

        int firstMessage = _messages.Count;
        _messages.Add(new ChatMessage(ChatRole.User, text));
        var turns = new List<PackTurn>();
        T? value = null;
        string? reply = null;
        string? problem = null;
        string? parseKind = null;
        string? transportError = null;
        for (int attempt = 1; attempt <= 2 && Turns < _maxTurns; attempt++)
        {
            int estimated = _messages.Sum(m => TokenEstimator.Estimate(m.Text));
            ChatTurnResult result = await _transport.SendAsync(_messages, options, cancellationToken);
            PackTurn record = result.ToPackTurn(Turns, attempt == 1 ? "initial" : "repair", estimated, _connection.Redact);
            if (result.Text is null)
            {
                transportError = result.Error;
                turns.Add(record);
                break;
            }

            Used = true;
            reply = result.Text;
            _messages.Add(new ChatMessage(ChatRole.Assistant, result.Text));
            if (contract is null)
            {
                turns.Add(record with { Parse = "ok" });
                problem = null;
                break;
            }

            ParsedReply<T> parsed = ReplyParser.Parse(result.Text, contract);
            value = parsed.Value;
            parseKind = parsed.FailureKind;
            problem = parsed.Error;
            turns.Add(parsed.Ok ? record with { Parse = "ok" } : record with { Parse = parsed.FailureKind!, ParseError = parsed.Error });
            if (parsed.Ok)
            {
                break;
            }

            // One repair: say precisely what was wrong and ask for the whole object again, in the same context.
            if (attempt == 1 && Turns < _maxTurns)
            {
                _messages.Add(new ChatMessage(ChatRole.User, $"Your reply was not usable: {problem}. Reply again with the complete corrected JSON object only, following the schema above."));
            }
        }

        (string outcome, string? reason) = transportError is not null ? ("error", _connection.Redact(transportError))
            : contract is null ? (reply is null ? ("discarded", "no reply") : ("accepted", null))
            : value is not null ? ("accepted", null)
            : ("discarded", $"{parseKind ?? "no reply"}: {problem}");
        var pack = new PromptPack
        {
            CallId = callId,
            Purpose = purpose,
            Phase = "conversation",
            Provider = LlmSettings.ProviderName(Settings.Provider),
            Model = Settings.Model,
            Endpoint = Settings.SafeEndpoint,
            StartedAt = started,
            RequestOptions = new PackRequestOptions
            {
                Temperature = Temperature,
                MaxOutputTokens = Settings.MaxOutputTokens,
                ResponseFormat = contract is null ? "text" : "json_schema",
                Schema = schema,
                Stream = Settings.Stream,
                TimeoutSeconds = Settings.Timeout.TotalSeconds,
                MaxRetries = Settings.MaxRetries,
                ApiKeySource = Settings.ApiKeySource,
            },
            ContextWindow = window is null
                ? new PackContextWindow(Settings.ContextTokens, 0, [], [])
                : new PackContextWindow(window.Budget, window.TokensUsed, window.Sections, window.Citations),
            // The whole conversation as sent, so the pack shows the context this question was asked in.
            Messages = _messages.Select(m => new PackMessage(m.Role.Value, _connection.Redact(m.Text))).ToList(),
            Turns = turns,
            Outcome = outcome,
            OutcomeReason = reason,
            LatencyMs = Math.Round(_time.GetElapsedTime(start).TotalMilliseconds, 3),
            InputTokens = Sum(turns.Select(t => t.InputTokens)),
            OutputTokens = Sum(turns.Select(t => t.OutputTokens)),
        };
        _packs.Add(pack);

        if (transportError is not null)
        {
            // Drop the unanswered question so the kept context holds only real exchanges.
            _messages.RemoveRange(firstMessage, _messages.Count - firstMessage);
            UnavailableReason = _connection.Redact(transportError);
            _warn($"warning: the language model is unavailable ({Settings}: {UnavailableReason}); continuing with the deterministic diagnosis (llm.used: false)");
            return new ConversationReply<T>(null, null, outcome, reason, pack);
        }

        return new ConversationReply<T>(value, reply is null ? null : _connection.Redact(reply), outcome, reason, pack);
    }

    private static long? Sum(IEnumerable<long?> values)
    {
        long? total = null;
        foreach (long? value in values)
        {
            if (value is long v)
            {
                total = (total ?? 0) + v;
            }
        }

        return total;
    }
}
