using System.ClientModel;
using System.Net.Sockets;
using System.Text.Json;
using Anthropic.Exceptions;
using CclAgent.Llm.Clients;
using Microsoft.Extensions.AI;

namespace CclAgent.Llm.Calls;

/// <summary>
/// Sends one request with the session rules (per-attempt timeout, bounded retries of transient failures,
/// failures classified for the prompt pack). Shared by the one-question <see cref="LlmSession"/> and the
/// multi-turn <see cref="LlmConversation"/> so both fail the same way.
/// </summary>
internal sealed class ChatTransport(ModelConnection connection, TimeProvider time)
{
    private readonly ModelConnection _connection = connection;
    private readonly TimeProvider _time = time;

    private LlmSettings Settings => _connection.Settings;

    /// <summary>Requests sent so far (repairs included), for call budgets and turn bounds.</summary>
    public int Requests { get; private set; }

    /// <summary>One turn: up to 1 + MaxRetries attempts, each under the per-attempt timeout.</summary>
    public async Task<ChatTurnResult> SendAsync(List<ChatMessage> messages, ChatOptions options, CancellationToken cancellationToken)
    {
        Requests++;
        var attempts = new List<PackAttempt>();
        long turnStart = _time.GetTimestamp();
        for (int attempt = 1; ; attempt++)
        {
            long start = _time.GetTimestamp();
            using var timeout = new CancellationTokenSource(Settings.Timeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            string? failure;
            string? error;
            bool retry;
            try
            {
                ChatResponse response = Settings.Stream
                    ? await _connection.Client.GetStreamingResponseAsync(messages, options, linked.Token).ToChatResponseAsync(linked.Token)
                    : await _connection.Client.GetResponseAsync(messages, options, linked.Token);
                attempts.Add(new PackAttempt(attempt, "ok", null, Elapsed(start)));
                return new ChatTurnResult(response.Text, response.FinishReason?.Value, response.Usage?.InputTokenCount, response.Usage?.OutputTokenCount, attempts, Elapsed(turnStart)) { Response = response };
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                (failure, error, retry) = ("timeout", $"no complete reply within {Settings.Timeout.TotalSeconds:0.###} s", false);
            }
            catch (HttpRequestException ex)
            {
                (failure, error, retry) = Classify(ex.StatusCode is { } code ? (int)code : null, ex);
            }
            catch (ClientResultException ex)
            {
                (failure, error, retry) = Classify(ex.Status == 0 ? null : ex.Status, ex);
            }
            catch (AnthropicApiException ex)
            {
                // The Anthropic SDK wraps HTTP failures in its own types instead of HttpRequestException.
                (failure, error, retry) = Classify((int)ex.StatusCode, ex);
            }
            catch (AnthropicIOException ex)
            {
                (failure, error, retry) = Classify(null, ex.InnerException ?? (Exception)ex);
            }
            catch (Exception ex) when (ex is JsonException or AnthropicException or InvalidOperationException or NotSupportedException or IOException or FormatException)
            {
                // The server answered, but not in the protocol the client speaks.
                (failure, error, retry) = ("protocol_error", $"{ex.GetType().Name}: {ex.Message}", false);
            }

            attempts.Add(new PackAttempt(attempt, failure, _connection.Redact(error), Elapsed(start)));
            if (!retry || attempt > Settings.MaxRetries)
            {
                return new ChatTurnResult(null, null, null, null, attempts, Elapsed(turnStart));
            }

            // Bounded exponential backoff: 250 ms, 500 ms, 1 s … between attempts.
            await Task.Delay(TimeSpan.FromMilliseconds(250 * Math.Pow(2, attempt - 1)), _time, cancellationToken);
        }
    }

    private static (string Failure, string Error, bool Retry) Classify(int? status, Exception ex)
    {
        if (status is null)
        {
            bool socket = ex.InnerException is SocketException || ex is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError };
            return (socket ? "unreachable" : "transport_error", FirstLine(ex.Message), true);
        }

        bool transient = status >= 500 || status == 429;
        return ($"http_{status}", $"HTTP {status}: {FirstLine(ex.Message)}", transient);
    }

    private static string FirstLine(string message)
    {
        string line = message.Split('\n')[0].Trim();
        return line.Length > 300 ? line[..300] + "…" : line;
    }

    private double Elapsed(long start) => Math.Round(_time.GetElapsedTime(start).TotalMilliseconds, 3);
}
