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
        new IbMatcher(), new RankPlacementMatcher(), new BootstrapMatcher(), new SocketMatcher(), new P2pProbeMatcher(), new P2pMatcher(), new SoftLockupMatcher(), new HungTaskMatcher(),
        new SegfaultMatcher(), new LossScaleMatcher(), new DivergenceMatcher(), new NonFiniteMatcher(), new WatchdogMatcher(), new CudaErrorMatcher(),
        new NcclErrorMatcher(), new PythonExceptionMatcher(),
    ];

    private readonly TrainingSeriesObserver _series = new();
    private readonly KeywordGate _gate;
    private readonly P2pProbeMatcher _probe;
    private readonly ulong _probeBit;

    public MatcherSet()
    {
        _gate = new KeywordGate(_matchers.Select(m => m.Keywords).ToArray(), TrainingSeriesObserver.Keywords);
        int probe = Array.FindIndex(_matchers, m => m is P2pProbeMatcher);
        _probe = (P2pProbeMatcher)_matchers[probe];
        _probeBit = 1UL << probe;
    }

    /// <summary>
    /// Inspects one line. The keyword gate says, from the line's template, which matchers may claim it and whether it
    /// carries training metrics; most lines of a large log need nothing else. Only lines a matcher may claim become strings.
    /// </summary>
    public void Inspect(ReadOnlySpan<char> span, LineContext context, EvidenceSink sink)
    {
        (ulong candidates, bool series, TemplateInfo? template) = _gate.Check(span);
        if (series)
        {
            if (template is null)
            {
                _series.Observe(span, context, sink);
            }
            else
            {
                _series.Observe(span, _gate, template, context, sink);
            }
        }

        // The rows of a bandwidth matrix or a topology table carry no keyword; the probe matcher asks for them.
        if (_probe.Listening)
        {
            candidates |= _probeBit;
        }

        if (candidates == 0)
        {
            return;
        }

        string line = span.ToString();
        for (int i = 0; i < _matchers.Length; i++)
        {
            if ((candidates & (1UL << i)) != 0 && _matchers[i].TryMatch(line, context, sink))
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
