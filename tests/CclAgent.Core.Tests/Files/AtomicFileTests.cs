using CclAgent.Core.Files;
using CclAgent.Testing;

namespace CclAgent.Core.Tests.Files;

public sealed class AtomicFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Writing_replaces_the_whole_target()
    {
        string path = _dir.Write("best.env", new string('x', 10_000));

        await AtomicFile.WriteAllTextAsync(path, "NCCL_ALGO=Ring\n", CancellationToken.None);

        Assert.Equal("NCCL_ALGO=Ring\n", await File.ReadAllTextAsync(path));
        Assert.Equal([path], Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public async Task Writing_creates_missing_folders()
    {
        string path = Path.Combine(_dir.Path, "a", "b", "c.json");

        await AtomicFile.WriteAllTextAsync(path, "{}", CancellationToken.None);

        Assert.Equal("{}", await File.ReadAllTextAsync(path));
    }

    [Fact]
    public async Task A_cancelled_write_keeps_the_old_content_and_leaves_no_temp_file()
    {
        string path = _dir.Write("best.env", "old");
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => AtomicFile.WriteAllTextAsync(path, "new", cts.Token));

        Assert.Equal("old", await File.ReadAllTextAsync(path));
        Assert.Equal([path], Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public async Task Text_is_written_as_utf8_without_a_byte_order_mark()
    {
        string path = _dir.File("note.txt");

        await AtomicFile.WriteAllTextAsync(path, "µs", CancellationToken.None);

        Assert.Equal([0xC2, 0xB5, (byte)'s'], await File.ReadAllBytesAsync(path));
    }
}
