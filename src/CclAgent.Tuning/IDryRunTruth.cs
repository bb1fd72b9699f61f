using CclAgent.Nccl.Parameters;
using CclAgent.Simulation.Oracle;

namespace CclAgent.Tuning;

/// <summary>Dry-run only: the simulator's noise-free truth, used to report the oracle and never to steer the search.</summary>
public interface IDryRunTruth
{
    double TrueIterationMs(NcclConfig config);

    OracleResult Oracle();
}
