using System.Text;
using CclAgent.Watch.Following;

namespace CclAgent.Watch.Tests.Following;

/// <summary>tail -F semantics: partial lines, rotation, truncation, a file that appears later, starting near the end.</summary>
public sealed class LogFollowerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ccl-watch-follow-").FullName;

    private string LogPath => Path.Combine(_dir, "train.log");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_partial_last_line_waits_for_its_newline()
    {
        File.WriteAllText(LogPath, "one\ntw");
        using var follower = new LogFollower(LogPath);
        follower.TryOpen();

        Assert.Equal(["one"], ReadAll(follower).Select(l => l.Text));
        Append("o\r\nthree\n");
        Assert.Equal([(2L, "two"), (3L, "three")], ReadAll(follower).Select(l => (l.Number, l.Text)));
    }

    [Fact]
    public void Once_mode_takes_the_unterminated_tail_as_the_last_line()
    {
        File.WriteAllText(LogPath, "one\ntwo");
        using var follower = new LogFollower(LogPath);
        follower.TryOpen();
        ReadAll(follower);

        Assert.True(follower.TryTakePartial(out LogLine last));
        Assert.Equal((2L, "two"), (last.Number, last.Text));
    }

    [Fact]
    public void Rotation_drains_the_old_file_then_reads_the_new_one_from_line_1()
    {
        File.WriteAllText(LogPath, "old 1\nold 2\n");
        using var follower = new LogFollower(LogPath);
        follower.TryOpen();
        ReadAll(follower);

        Append("old 3\nold tail");
        File.Move(LogPath, LogPath + ".1");
        Assert.Equal(FileChange.None, follower.CheckForChanges());
        File.WriteAllText(LogPath, "new 1\n");

        var seen = new List<string>();
        FileChange change = FileChange.None;
        for (int i = 0; i < 5 && change != FileChange.Rotated; i++)
        {
            seen.AddRange(ReadAll(follower).Select(l => l.Text));
            change = follower.CheckForChanges();
        }

        Assert.Equal(FileChange.Rotated, change);
        seen.AddRange(ReadAll(follower).Select(l => $"{l.Number}:{l.Text}"));
        Assert.Equal(["old 3", "old tail", "1:new 1"], seen);
    }

    [Fact]
    public void Truncation_restarts_at_the_beginning()
    {
        File.WriteAllText(LogPath, "a long first line\nsecond\n");
        using var follower = new LogFollower(LogPath);
        follower.TryOpen();
        ReadAll(follower);

        File.WriteAllText(LogPath, "x\n");
        Assert.Equal(FileChange.Truncated, follower.CheckForChanges());
        Assert.Equal([(1L, "x")], ReadAll(follower).Select(l => (l.Number, l.Text)));
    }

    [Fact]
    public void A_file_that_appears_later_is_opened()
    {
        using var follower = new LogFollower(LogPath);
        Assert.Equal(FileChange.None, follower.TryOpen());
        Assert.Equal(FileChange.None, follower.CheckForChanges());

        File.WriteAllText(LogPath, "hello\n");
        Assert.Equal(FileChange.Opened, follower.CheckForChanges());
        Assert.Equal(["hello"], ReadAll(follower).Select(l => l.Text));
    }

    [Fact]
    public void Starting_near_the_end_keeps_the_real_line_numbers()
    {
        var text = new StringBuilder();
        for (int i = 1; i <= 1000; i++)
        {
            text.Append("line ").Append(i).Append('\n');
        }

        File.WriteAllText(LogPath, text.ToString());
        using var follower = new LogFollower(LogPath, tailBytes: 100);
        follower.TryOpen();
        List<LogLine> lines = ReadAll(follower);

        Assert.All(lines, l => Assert.Equal($"line {l.Number}", l.Text));
        Assert.Equal(1000, lines[^1].Number);
        Assert.True(lines.Count < 20);
    }

    private void Append(string text) => File.AppendAllText(LogPath, text);

    private static List<LogLine> ReadAll(LogFollower follower)
    {
        var lines = new List<LogLine>();
        while (follower.TryReadLine(out LogLine line))
        {
            lines.Add(line);
        }

        return lines;
    }
}
