namespace CclAgent.Diagnosis.Tests.Support;

/// <summary>
/// The model's side of a diagnose conversation. Before answering request N it checks that the request
/// carries the whole conversation so far: the system prompt, then for each earlier request its question and
/// exactly the reply this script gave, in order. Each request gets a different reply (per turn).
/// </summary>
internal sealed class ReviewScript(IReadOnlyList<string> replies)
{
    private readonly List<string> _sent = [];

    public static string Analysis => "ANALYSIS-TURN-1: the evidence points at the InfiniBand fabric, not the training code.";

    public static string Correlations(string evidenceId) =>
        $"{{\"correlations\":[{{\"evidence_id\":\"{evidenceId}\",\"location\":\"train.py:2\",\"explanation\":\"TURN-2 the allreduce issued here is the one that hit the IB error\"}},{{\"evidence_id\":\"ev-999\",\"location\":\"\",\"explanation\":\"made up\"}}]}}";

    public static string RootCause(string category, bool agrees) =>
        $"{{\"category\":\"{category}\",\"root_cause\":\"TURN-3 retry-exceeded on the IB link\",\"agrees_with_verdict\":{(agrees ? "true" : "false")},\"explanation\":\"status 12 is IBV_WC_RETRY_EXC_ERR\"}}";

    public static string Recommendations => "{\"recommendations\":[\"TURN-4 set NCCL_IB_TIMEOUT=22\",\"check the cable on mlx5_10\"],\"notes\":\"watch the link counters\"}";

    public IReadOnlyList<string> Sent => _sent;

    public string Answer(int request, IReadOnlyList<(string Role, string Content)> messages)
    {
        if (messages.Count == 0 || messages[0].Role != "system")
        {
            throw new InvalidOperationException("the first message is not the system prompt");
        }

        var assistants = messages.Where(m => m.Role == "assistant").Select(m => m.Content).ToList();
        if (!assistants.SequenceEqual(_sent))
        {
            throw new InvalidOperationException($"request {request} carries {assistants.Count} earlier replies, expected the {_sent.Count} sent so far, in order");
        }

        if (messages.Count(m => m.Role == "user") != request || messages[^1].Role != "user")
        {
            throw new InvalidOperationException($"request {request} does not end with the new question after the {request - 1} earlier ones");
        }

        string reply = replies[Math.Min(request, replies.Count) - 1];
        _sent.Add(reply);
        return reply;
    }
}
