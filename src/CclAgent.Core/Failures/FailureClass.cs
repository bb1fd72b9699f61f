using System.Globalization;
using System.Text.Json.Serialization;
using CclAgent.Core.Json;

namespace CclAgent.Core.Failures;

/// <summary>
/// A failure's class: the kind, plus the exit code or signal number where the kind has one. Written as one
/// string (<c>timeout</c>, <c>exit_code_3</c>, <c>signal_9</c>) so run directories keep their spelling.
/// </summary>
[JsonConverter(typeof(FailureClassJsonConverter))]
public readonly record struct FailureClass(FailureKind Kind, int Code = 0)
{
    private const string ExitPrefix = "exit_code_";
    private const string SignalPrefix = "signal_";

    /// <summary>The class of a process that ended on its own with this exit code; null for 0. On Unix .NET reports a process killed by signal N as 128+N, the shell convention, so both read the same.</summary>
    public static FailureClass? ForExitCode(int exitCode) => exitCode switch
    {
        0 => null,
        > 128 and < 128 + 65 => new FailureClass(FailureKind.Signal, exitCode - 128),
        _ => new FailureClass(FailureKind.ExitCode, exitCode),
    };

    /// <summary>The artifact spelling.</summary>
    public string Name => Kind switch
    {
        FailureKind.ExitCode => ExitPrefix + Code.ToString(CultureInfo.InvariantCulture),
        FailureKind.Signal => SignalPrefix + Code.ToString(CultureInfo.InvariantCulture),
        _ => WireName.Of(Kind),
    };

    public static implicit operator FailureClass(FailureKind kind) => new(kind);

    /// <summary>Reads a spelling back; anything unrecognised is <see cref="FailureKind.Unknown"/>, never an error (older run directories).</summary>
    public static FailureClass Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Numbered(text, ExitPrefix) is int exit)
        {
            return new FailureClass(FailureKind.ExitCode, exit);
        }

        if (Numbered(text, SignalPrefix) is int signal)
        {
            return new FailureClass(FailureKind.Signal, signal);
        }

        return WireName.TryParse(text, out FailureKind kind) && kind is not (FailureKind.ExitCode or FailureKind.Signal)
            ? new FailureClass(kind)
            : new FailureClass(FailureKind.Unknown);
    }

    public override string ToString() => Name;

    private static int? Numbered(string text, string prefix) =>
        text.StartsWith(prefix, StringComparison.Ordinal) && int.TryParse(text.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : null;
}
