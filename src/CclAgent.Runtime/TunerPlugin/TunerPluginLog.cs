using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CclAgent.Runtime.TunerPlugin;

/// <summary>
/// The logger NCCL hands a tuner plugin at init: <c>void logger(ncclDebugLogLevel level, unsigned long flags, const char*
/// file, int line, const char* fmt, ...)</c>. It is C-variadic and .NET cannot implement varargs, so this rests on a
/// convention: ccl-agent's plugin always formats its message itself and calls <c>logger(level, flags, file, line, "%s",
/// message)</c>. On x86-64 and AArch64 Linux the first variadic argument of integer class travels in the register a sixth
/// fixed parameter would, so a six-parameter callback reads the message. For any other format only the format string
/// itself is printed (its arguments cannot be read safely). Lines go to stderr as NCCL prints its own:
/// <c>NCCL WARN …</c> always, <c>NCCL INFO …</c> only under NCCL_DEBUG=INFO (or TRACE).
/// </summary>
internal static unsafe class TunerPluginLog
{
    private const int Warn = 2;
    private const int Info = 3;
    private const int Abort = 4;
    private const int Trace = 5;
    private static readonly Lock Gate = new();
    private static TextWriter _writer = Console.Error;
    private static int _debugLevel;

    /// <summary>The logger's address, to pass to the plugin's init.</summary>
    public static IntPtr Pointer => (IntPtr)(delegate* unmanaged[Cdecl]<int, nuint, byte*, int, byte*, byte*, void>)&Log;

    /// <summary>
    /// Where plugin lines go, and the NCCL_DEBUG level read once (NCCL reads it at init). One logger serves every loaded
    /// plugin: the C signature has no user data to tell them apart.
    /// </summary>
    public static void Configure(TextWriter writer, string? ncclDebug)
    {
        lock (Gate)
        {
            _writer = writer;
            _debugLevel = ncclDebug?.ToUpperInvariant() switch
            {
                "TRACE" => Trace,
                "INFO" => Info,
                _ => Warn,
            };
        }
    }

    /// <summary>The line NCCL would print for one logger call, or null when NCCL_DEBUG hides it.</summary>
    internal static string? Line(int level, string? fmt, string? message)
    {
        string? tag = level switch
        {
            Warn or Abort => "WARN",
            Info when _debugLevel >= Info => "INFO",
            Trace when _debugLevel >= Trace => "TRACE",
            _ => null,
        };
        return tag is null ? null : $"NCCL {tag} {(fmt == "%s" ? message : fmt)}";
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void Log(int level, nuint flags, byte* file, int line, byte* fmt, byte* arg0)
    {
        // Never let an exception unwind into the plugin's C frames: that would abort the process.
        try
        {
            string? format = Utf8(fmt);
            string? text = Line(level, format, format == "%s" ? Utf8(arg0) : null);
            if (text is null)
            {
                return;
            }

            lock (Gate)
            {
                _writer.WriteLine(text);
                _writer.Flush();
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A closed stderr loses a log line; the plugin call goes on.
        }
    }

    private static string? Utf8(byte* text) => text is null ? null : Marshal.PtrToStringUTF8((IntPtr)text);
}
