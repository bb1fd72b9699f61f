using System.Buffers;
using CclAgent.Diagnosis.Evidence;

namespace CclAgent.Diagnosis.Matchers;

/// <summary>
/// The evidence library for one source, in priority order: the most specific matcher claims a line first, so
/// <c>RuntimeError: CUDA out of memory</c> is a CUDA OOM and not a generic Python exception, and an ECC error
/// rethrown by the NCCL watchdog is an ECC error and not a timeout.
/// </summary>
internal sealed class MatcherSet
{
    private readonly LineMatcher[] _matchers =
    [
        new XidMatcher(), new EccMatcher(), new HostOomMatcher(), new ShmMatcher(), new KilledMatcher(), new CudaOomMatcher(),
        new IbMatcher(), new BootstrapMatcher(), new SocketMatcher(), new P2pMatcher(), new SoftLockupMatcher(), new HungTaskMatcher(),
        new SegfaultMatcher(), new LossScaleMatcher(), new NonFiniteMatcher(), new WatchdogMatcher(), new CudaErrorMatcher(),
        new NcclErrorMatcher(), new PythonExceptionMatcher(),
    ];

    private readonly TrainingSeriesObserver _series = new();
    private readonly SearchValues<string> _anyKeyword;

    public MatcherSet()
    {
        _anyKeyword = SearchValues.Create(_matchers.SelectMany(m => m.Keywords).Distinct(StringComparer.OrdinalIgnoreCase).ToArray(), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Inspects one line. Most lines of a large log fail the single keyword search and cost no allocation;
    /// only candidate lines become strings.
    /// </summary>
    public void Inspect(ReadOnlySpan<char> span, LineContext context, EvidenceSink sink)
    {
        bool series = TrainingSeriesObserver.MayMatch(span);
        bool any = span.ContainsAny(_anyKeyword);
        if (!series && !any)
        {
            return;
        }

        string line = span.ToString();
        if (series)
        {
            _series.Observe(line, context, sink);
        }

        if (!any)
        {
            return;
        }

        foreach (LineMatcher matcher in _matchers)
        {
            if (matcher.MayMatch(span) && matcher.TryMatch(line, context, sink))
            {
                return;
            }
        }
    }

    public void Complete(LineContext context, EvidenceSink sink)
    {
        foreach (LineMatcher matcher in _matchers)
        {
            matcher.Complete(context, sink);
        }
    }
}
