using CclAgent.Core.Tracing;
using CclAgent.Llm.Calls;
using CclAgent.Llm.Clients;
using CclAgent.Llm.Context;
using CclAgent.Llm.Replies;

namespace CclAgent.Llm.Tests.Support;

/// <summary>A real session (real client, real trace writer) on a temp directory.</summary>
internal sealed class SessionHarness : IDisposable
{
    private readonly TraceWriter _trace;
    private readonly ModelConnection _connection;

    public SessionHarness(LlmProvider provider, string endpoint, double timeoutSeconds = 10, int retries = 2, bool stream = false, IReadOnlyDictionary<string, string>? environment = null)
    {
        Directory.CreateDirectory(LlmDirectory);
        _trace = new TraceWriter(TraceFile, "test-run", TimeProvider.System);
        var settings = new LlmSettings
        {
            Provider = provider,
            Model = provider == LlmProvider.Ollama ? "llama3.1" : "gpt-4o-mini",
            Endpoint = new Uri(endpoint),
            Timeout = TimeSpan.FromSeconds(timeoutSeconds),
            MaxRetries = retries,
            Stream = stream,
            ApiKeySource = environment is null ? null : LlmSettingsResolver.ApiKeyVariable(k => environment.GetValueOrDefault(k)),
        };
        _connection = ChatClientFactory.Create(settings, k => environment?.GetValueOrDefault(k));
        Session = new LlmSession(_connection, _trace, LlmDirectory, TimeProvider.System, Warnings.Add);
    }

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "ccl-llm-tests-" + Guid.NewGuid().ToString("N"));
    public string LlmDirectory => Path.Combine(Root, "llm");
    public string TraceFile => Path.Combine(Root, "trace", "events.jsonl");
    public LlmSession Session { get; }
    public List<string> Warnings { get; } = [];

    public static ReplyValidation Judge(ProbeReply reply) => new(
        reply.Items.Where(i => !i.Contains("bad", StringComparison.Ordinal)).ToList(),
        reply.Items.Where(i => i.Contains("bad", StringComparison.Ordinal)).Select(i => i + ": not allowed").ToList());

    public Task<LlmCallResult<ProbeReply>> AskAsync(int budgetTokens = 3000) => Session.AskAsync(
        new LlmRequest
        {
            Purpose = "probe",
            Phase = "offline",
            Instructions = "You are tested.",
            Task = "Answer.",
            Sections = [new ContextSection("workload", 10, "a small workload"), new ContextSection("knowledge snippets", 1, "[rag:doc:0] text") { Citations = ["rag:doc:0"] }],
        },
        ProbeJsonContext.Default.ProbeReply,
        Judge,
        CancellationToken.None);

    public string Pack(string callId = "call_0001") => File.ReadAllText(Path.Combine(LlmDirectory, callId + ".json"));

    public string[] TraceLines()
    {
        _trace.Dispose();
        return File.ReadAllLines(TraceFile);
    }

    public void Dispose()
    {
        _trace.Dispose();
        _connection.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
