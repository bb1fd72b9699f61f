using CclAgent.Trace;

namespace CclAgent.Cli.Commands;

/// <summary>How both trace verbs read their inputs: off the console thread, and a bad or unreadable input is one line, exit 2.</summary>
internal static class TraceInputReading
{
    /// <summary>The result of <paramref name="read"/>, or null once the problem is written to <paramref name="error"/>.</summary>
    public static async Task<T?> RunAsync<T>(Func<T> read, TextWriter error, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return await Task.Run(read, cancellationToken);
        }
        catch (TraceInputException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}");
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"error: cannot read input: {ex.Message}");
            return null;
        }
    }
}
