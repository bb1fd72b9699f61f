using CclAgent.Diagnosis.Evidence;

namespace CclAgent.Diagnosis.Matchers;

/// <summary><c>CUDA error: uncorrectable ECC error encountered</c>, also when the NCCL watchdog rethrows it.</summary>
internal sealed class EccMatcher() : LineMatcher("uncorrectable ECC")
{
    public override bool TryMatch(string line, LineContext context, EvidenceSink sink)
    {
        sink.Add(Signals.EccUncorrectable, context, line);
        return true;
    }
}
