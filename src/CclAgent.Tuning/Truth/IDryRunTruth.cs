using CclAgent.Nccl.Parameters;

namespace CclAgent.Tuning.Truth;

/// <summary>Dry-run only: the simulator's noise-free truth, used to report the oracle and never to steer the search.</summary>
public interface IDryRunTruth
{
    double TrueIterationMs(NcclConfig config);

    DryRunOracle Oracle();
}
