using Microsoft.Extensions.Time.Testing;

namespace CclAgent.Memory.Tests.Support;

/// <summary>A temp directory with a memory file in it, a fake clock, and the store, cleaned up on dispose.</summary>
internal sealed class TestBed : IDisposable
{
    public static readonly DateTimeOffset Start = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private MemoryStore? _store;

    public TestBed()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("ccl-memory-tests-").FullName;
        DatabasePath = Path.Combine(Directory, "memory", "ccl-agent.db");
    }

    public string Directory { get; }

    public string DatabasePath { get; }

    public FakeTimeProvider Time { get; } = new(Start);

    public MemoryStore Store => _store ??= Open();

    public MemoryStore Open() => MemoryStore.Open(DatabasePath, Time);

    /// <summary>Closes the store and opens the file again, as the next run would.</summary>
    public MemoryStore Reopen()
    {
        _store?.Dispose();
        _store = Open();
        return _store;
    }

    public void Dispose()
    {
        _store?.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp directory must not fail the test that made it.
        }
    }
}
