using System.Text.RegularExpressions;

namespace CclAgent.Incident.Signals;

/// <summary>
/// What the kernel's stuck-task reports say beyond the headline: the task in uninterruptible sleep (newer kernels print
/// <c>task:NAME state:D stack:… pid:…</c>, sched_show_task) and the call-trace frames that sit in a loadable module
/// (<c>uvm_ioctl+0x13e0/0x16f0 [nvidia_uvm]</c>), which name the driver the task is stuck in.
/// </summary>
internal sealed partial class KernelTaskSignals
{
    private bool _inTrace;

    public List<SignalLine> StuckTasks { get; } = [];

    /// <summary>The first frame of each module seen in a call trace, in order.</summary>
    public List<(string Module, SignalLine Line)> ModuleFrames { get; } = [];

    public void Inspect(SignalLine line)
    {
        string text = line.Text;
        if (StateD().IsMatch(text))
        {
            StuckTasks.Add(line);
        }

        if (text.Contains("Call Trace:", StringComparison.Ordinal))
        {
            _inTrace = true;
            return;
        }

        if (!_inTrace)
        {
            return;
        }

        Match frame = ModuleFrame().Match(text);
        if (frame.Success)
        {
            string module = frame.Groups["module"].Value;
            if (!ModuleFrames.Any(f => f.Module == module))
            {
                ModuleFrames.Add((module, line));
            }
        }
        else if (!Frame().IsMatch(text))
        {
            // A line that is no frame ends the trace.
            _inTrace = false;
        }
    }

    [GeneratedRegex(@"\btask:\S+\s+state:D\b", RegexOptions.CultureInvariant)]
    private static partial Regex StateD();

    [GeneratedRegex(@"[\w.]+\+0x[0-9a-f]+/0x[0-9a-f]+ \[(?<module>[a-z0-9_]+)\]\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex ModuleFrame();

    [GeneratedRegex(@"\+0x[0-9a-f]+/0x[0-9a-f]+|<TASK>|</TASK>|\bRIP:|\bRSP:|\bR[A-Z0-9]{1,3}:", RegexOptions.CultureInvariant)]
    private static partial Regex Frame();
}
