using System.CommandLine;
using CclAgent.Memory;

namespace CclAgent.Cli.Commands.Memory;

/// <summary>The options every memory verb shares, and opening the store they name.</summary>
internal static class MemoryOptions
{
    /// <summary>The same default as <c>tune --memory</c>.</summary>
    public static readonly string DefaultPath = Path.Combine("memory", "ccl-agent.db");

    public static Option<string?> Path_() => new("--memory") { Description = "SQLite memory database (default: memory/ccl-agent.db, as tune)." };

    public static Option<bool> Json() => new("--json") { Description = "Print JSON on stdout instead of a table." };

    /// <summary>Opens an existing memory; a missing file or one that is not a memory is one line and exit 2.</summary>
    public static MemoryStore? Open(string path, TimeProvider time, TextWriter error)
    {
        if (!File.Exists(path))
        {
            error.WriteLine($"error: --memory {path}: no such file; expected a memory database written by tune");
            return null;
        }

        try
        {
            return MemoryStore.Open(path, time);
        }
        catch (MemoryStoreException ex)
        {
            error.WriteLine($"error: --memory {path}: {ex.Message}");
            return null;
        }
    }
}
