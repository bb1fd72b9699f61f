using System.Text;

namespace CclAgent.Testing;

/// <summary>
/// Approval (snapshot) files: the text a test produces is compared with <c>tests/&lt;project&gt;/Approvals/&lt;name&gt;.approved.txt</c>
/// in the repository (line endings and trailing whitespace normalised). On a mismatch <c>&lt;name&gt;.received.txt</c> is written
/// beside it and the test fails with a short diff; with <c>CCL_AGENT_APPROVE=1</c> the approved file is (re)written instead.
/// </summary>
public static class Approvals
{
    public const string ApproveVariable = "CCL_AGENT_APPROVE";

    public static void Verify(string name, string actual, string project = "CclAgent.Cli.Tests")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(actual);
        string directory = Path.Combine(RepoPaths.Root, "tests", project, "Approvals");
        string approvedPath = Path.Combine(directory, name + ".approved.txt");
        string receivedPath = Path.Combine(directory, name + ".received.txt");
        string received = Normalise(actual);

        if (Environment.GetEnvironmentVariable(ApproveVariable) == "1")
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(approvedPath, received);
            File.Delete(receivedPath);
            return;
        }

        string? approved = File.Exists(approvedPath) ? Normalise(File.ReadAllText(approvedPath)) : null;
        if (approved == received)
        {
            File.Delete(receivedPath);
            return;
        }

        Directory.CreateDirectory(directory);
        File.WriteAllText(receivedPath, received);
        string why = approved is null
            ? $"no approved file {approvedPath}"
            : $"{approvedPath} differs from what the test produced:\n{Diff(approved, received)}";
        throw new ApprovalException($"{why}\nreceived: {receivedPath} (run with {ApproveVariable}=1 to approve it)");
    }

    /// <summary>LF line endings, no trailing whitespace on any line, exactly one final newline.</summary>
    public static string Normalise(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        IEnumerable<string> lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n').Select(l => l.TrimEnd());
        return string.Join("\n", lines).TrimEnd('\n') + "\n";
    }

    private static string Diff(string approved, string received)
    {
        string[] expected = approved.Split('\n');
        string[] actual = received.Split('\n');
        var diff = new StringBuilder();
        int shown = 0;
        for (int i = 0; i < Math.Max(expected.Length, actual.Length) && shown < 10; i++)
        {
            string? e = i < expected.Length ? expected[i] : null;
            string? a = i < actual.Length ? actual[i] : null;
            if (e == a)
            {
                continue;
            }

            shown++;
            diff.Append("  line ").Append(i + 1).Append('\n');
            if (e is not null)
            {
                diff.Append("  - ").Append(e).Append('\n');
            }

            if (a is not null)
            {
                diff.Append("  + ").Append(a).Append('\n');
            }
        }

        return diff.ToString().TrimEnd('\n');
    }
}

/// <summary>A test's output no longer matches its approved file.</summary>
public sealed class ApprovalException : Exception
{
    public ApprovalException()
    {
    }

    public ApprovalException(string message)
        : base(message)
    {
    }

    public ApprovalException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
