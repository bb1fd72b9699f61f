using System.Globalization;
using System.Runtime.InteropServices;

namespace CclAgent.Core.Files;

/// <summary>
/// The one check every verb runs on an input path before opening it: a character device (/dev/zero,
/// /dev/urandom), a FIFO, a socket or a directory is refused, because reading one either never ends or
/// blocks in open(2) where no cancellation reaches; and an input read whole (a JSON file) is refused
/// above its size cap, because it is read into memory. A missing path is not a problem here: the verbs
/// differ on it (watch waits for a log to appear), so each reports it in its own words.
/// </summary>
public static partial class InputFile
{
    /// <summary>The largest JSON input (workload, agent config, bench scenario) read: far above any real spec.</summary>
    public const long MaxJsonBytes = 16L << 20;

    // File-type bits of st_mode; System.Native (the runtime's own POSIX layer) uses the Linux values everywhere.
    private const int TypeMask = 0xF000;
    private const int Fifo = 0x1000;
    private const int CharacterDevice = 0x2000;
    private const int Directory = 0x4000;
    private const int BlockDevice = 0x6000;
    private const int Regular = 0x8000;
    private const int Socket = 0xC000;

    /// <summary>
    /// Null when <paramref name="path"/> is missing or a regular file within <paramref name="maxBytes"/>; else
    /// one sentence (without the path) saying what it is and what was expected, e.g.
    /// "is not a regular file (it is a character device); expected a JSON file". Symbolic links are followed.
    /// </summary>
    public static string? Check(string path, string expected, long? maxBytes = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (System.IO.Directory.Exists(path))
        {
            return $"is not a regular file (it is a directory); expected {expected}";
        }

        if (!File.Exists(path))
        {
            return null;
        }

        if (FileType(path) is int type && type != Regular)
        {
            return $"is not a regular file (it is {Describe(type)}); expected {expected}";
        }

        if (maxBytes is long max)
        {
            long length = new FileInfo(path).Length;
            if (length > max)
            {
                return string.Create(CultureInfo.InvariantCulture, $"is {length} bytes, larger than the {max >> 20} MiB limit for this input; expected {expected}");
            }
        }

        return null;
    }

    private static string Describe(int type) => type switch
    {
        Fifo => "a FIFO (named pipe)",
        CharacterDevice => "a character device",
        BlockDevice => "a block device",
        Socket => "a socket",
        _ => "not a plain file",
    };

    /// <summary>The st_mode file type, following links; null where it cannot be read (Windows, or stat failed: the open reports it).</summary>
    private static int? FileType(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return null; // no devices or FIFOs behind ordinary paths there
        }

        // .NET's FileAttributes say nothing of devices or FIFOs on Unix, and libc's struct stat differs per
        // architecture, so this asks System.Native, whose FileStatus begins with two int32s: flags, then mode.
        // The buffer is far larger than that struct in any runtime version.
        byte[] status = new byte[512];
        try
        {
            return Stat(path, status) == 0 ? BitConverter.ToInt32(status, 4) & TypeMask : null;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_Stat", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Stat(string path, [Out] byte[] status);
}
