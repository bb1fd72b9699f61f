using CclAgent.Nccl.Parameters;

namespace CclAgent.Simulation.NcclTests;

/// <summary>
/// One emulated `*_perf` invocation: the nccl-tests flags that matter to the prediction plus the
/// communicator shape. Defaults are nccl-tests' own (32 MiB, 20 iterations, 1 warm-up, 1 check).
/// </summary>
public sealed record NcclTestsRun
{
    public required CollectiveOp Op { get; init; }

    /// <summary>The binary being stood in for, e.g. "all_reduce_perf" (printed in the header and footer).</summary>
    public required string ProgramName { get; init; }

    public required int Nodes { get; init; }

    /// <summary>NCCL_DEBUG=INFO (or TRACE) was set: print NCCL's init lines, among them "Channel xx/NN", as NCCL does.</summary>
    public bool DebugInfo { get; init; }
    public required int RanksPerNode { get; init; }

    public long MinBytes { get; init; } = 32L * 1024 * 1024;
    public long MaxBytes { get; init; } = 32L * 1024 * 1024;
    public long StepBytes { get; init; } = 1024L * 1024;
    public long StepFactor { get; init; } = 1;
    public int Iterations { get; init; } = 20;
    public int WarmupIterations { get; init; } = 1;
    public int AggregatedIterations { get; init; } = 1;
    public int Check { get; init; } = 1;
    public int Threads { get; init; } = 1;
    public int GpusPerThread { get; init; } = 1;
    public int Graph { get; init; }
    public int Blocking { get; init; }
    public bool CpuTime { get; init; }

    /// <summary>nccl-tests type name (float, half, bfloat16, …) and its size in bytes.</summary>
    public string DataType { get; init; } = "float";

    public int DataTypeBytes { get; init; } = 4;

    /// <summary>nccl-tests reduction name (sum, prod, max, min, avg, mulsum).</summary>
    public string RedOp { get; init; } = "sum";

    public int Root { get; init; }

    /// <summary>
    /// nccl-tests' -N: how many times the size sweep repeats inside the one table, each row with fresh noise;
    /// 0 repeats it until the run is cancelled, as the real binary loops until killed.
    /// </summary>
    public int RunCycles { get; init; } = 1;

    /// <summary>
    /// On a configuration the simulator knows hangs: false prints "simulated hang" and fails at once (quick
    /// feedback); true prints the table header and then blocks until cancelled, so a supervisor's timeout is
    /// exercised as a real NCCL hang would exercise it.
    /// </summary>
    public bool BlockOnHang { get; init; }

    /// <summary>Seed of the small run-to-run noise; equal seeds print equal outputs.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>GPU name for the device lines, e.g. "H100-SXM".</summary>
    public string GpuName { get; init; } = "GPU";
}
