namespace CclAgent.Llm.Context;

/// <summary>
/// Estimates tokens without a tokenizer: about 4 characters per token for English and JSON with
/// BPE vocabularies. Good enough to keep prompts within budget; exact counts come back from the server.
/// </summary>
public static class TokenEstimator
{
    public const int CharactersPerToken = 4;

    public static int Estimate(string text) => (text.Length + CharactersPerToken - 1) / CharactersPerToken;

    public static int Characters(int tokens) => tokens * CharactersPerToken;
}
