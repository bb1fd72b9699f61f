using System.Diagnostics;
using System.Text.Json;
using CclAgent.Core.Json;
using CclAgent.Core.Steps;
using CclAgent.Core.Secrets;

namespace CclAgent.Runtime.Execution;

/// <summary>
/// Writes <c>steps/step_&lt;k&gt;_command.json</c>: the exact argv and the final environment the job got, so a
/// step can be replayed by hand. Variables with secret names and secret-shaped values (a URL's password, a token)
/// are masked, and so are the same shapes and <c>NAME=VALUE</c> assignments in argv (<see cref="SecretRedactor"/>):
/// the record is shared in bug reports, so replaying a masked credential means supplying it again.
/// </summary>
internal static class CommandRecord
{
    /// <summary>Written before the start (for replay if we die), and again after the run with the logs' counts (<c>output</c>).</summary>
    public static void Write(string path, int step, StepKind? kind, string launcher, ProcessStartInfo info, TimeSpan timeout, StepLog? stdout = null, StepLog? stderr = null)
    {
        string[] argv = [.. SecretRedactor.RedactArguments(new[] { info.FileName }.Concat(info.ArgumentList))];
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteNumber("step", step);
        json.WriteString("kind", kind is { } k ? WireName.Of(k) : "microbenchmark");
        json.WriteString("launcher", launcher);
        json.WriteStartArray("argv");
        foreach (string arg in argv)
        {
            json.WriteStringValue(arg);
        }

        json.WriteEndArray();
        json.WriteString("command_line", string.Join(' ', argv.Select(Quote)));
        json.WriteString("working_directory", string.IsNullOrEmpty(info.WorkingDirectory) ? Environment.CurrentDirectory : info.WorkingDirectory);
        json.WriteNumber("timeout_s", timeout.TotalSeconds);
        json.WriteStartObject("environment");
        foreach (KeyValuePair<string, string?> variable in info.Environment.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            json.WriteString(variable.Key, SecretRedactor.RedactValue(variable.Key, variable.Value ?? string.Empty));
        }

        json.WriteEndObject();
        if (stdout is not null && stderr is not null)
        {
            json.WriteStartObject("output");
            WriteOutput(json, "stdout", stdout);
            WriteOutput(json, "stderr", stderr);
            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    /// <summary>The truncation counts, so a short log or a cut line is never mistaken for what the job printed.</summary>
    private static void WriteOutput(Utf8JsonWriter json, string name, StepLog log)
    {
        json.WriteStartObject(name);
        json.WriteNumber("bytes_read", log.BytesRead);
        json.WriteNumber("lines", log.Lines);
        json.WriteNumber("long_lines_truncated", log.LongLinesTruncated);
        json.WriteNumber("max_line_bytes", StepLog.MaxLineBytes);
        json.WriteNumber("logged_bytes", log.LoggedBytes);
        json.WriteNumber("dropped_bytes", log.DroppedBytes);
        json.WriteNumber("max_log_bytes", StepLog.MaxLogBytes);
        json.WriteBoolean("truncated", log.LongLinesTruncated > 0 || log.DroppedBytes > 0);
        json.WriteEndObject();
    }

    /// <summary>POSIX single-quoting for display only: the job is never started from this string.</summary>
    private static string Quote(string arg) =>
        arg.Length > 0 && arg.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:,+@%".Contains(c, StringComparison.Ordinal))
            ? arg
            : "'" + arg.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
