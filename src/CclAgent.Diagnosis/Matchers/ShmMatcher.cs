using System.Text.RegularExpressions;
using CclAgent.Diagnosis.Evidence;

namespace CclAgent.Diagnosis.Matchers;

/// <summary>
/// Shared-memory exhaustion: NCCL's <c>Error while creating shared memory segment /dev/shm/nccl-… (size N)</c>,
/// <c>posix_fallocate failed : No space left on device</c>, and PyTorch's DataLoader SIGBUS
/// ("This might be caused by insufficient shared memory (shm)", "killed by signal: Bus error").
/// </summary>
internal sealed partial class ShmMatcher() : LineMatcher("shared memory", "/dev/shm", "Bus error", "posix_fallocate")
{
    public override bool TryMatch(string line, LineContext context, EvidenceSink sink)
    {
        Match segment = Segment().Match(line);
        if (segment.Success)
        {
            sink.Add(Signals.ShmSegment, context, line, Facts(segment, "path", "size"));
            return true;
        }

        if (line.Contains("posix_fallocate", StringComparison.Ordinal) && line.Contains("No space left", StringComparison.Ordinal))
        {
            sink.Add(Signals.ShmSegment, context, line);
            return true;
        }

        if (line.Contains("insufficient shared memory", StringComparison.OrdinalIgnoreCase)
            || line.Contains("killed by signal: Bus error", StringComparison.OrdinalIgnoreCase)
            || (line.Contains("/dev/shm", StringComparison.Ordinal) && line.Contains("No space left", StringComparison.Ordinal)))
        {
            sink.Add(Signals.ShmBusError, context, line);
            return true;
        }

        return false;
    }

    [GeneratedRegex(@"Error while creating shared memory segment (?<path>\S+)(?: \(size (?<size>\d+)\))?")]
    private static partial Regex Segment();
}
