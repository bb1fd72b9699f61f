using CclAgent.Nccl.Parameters;
namespace CclAgent.Nccl.Tuner;

/// <summary>
/// One row of the CSV NCCL's example tuner plugin reads (plugins/tuner/example): a collective, a byte range and a
/// communicator shape, and the algorithm, protocol and channels to use there; -1 is the wildcard ("any", or for
/// channels "NCCL's count"). <see cref="Line"/> is the 1-based line of the file it came from (0 when built in code).
/// </summary>
public sealed record TunerConfRow(
    CollectiveOp Op,
    long MinBytes,
    long MaxBytes,
    NcclAlgorithm Algorithm,
    NcclProtocol Protocol,
    int Channels,
    int Nodes,
    int Ranks,
    int NumPipeOps = -1,
    int RegBuff = -1)
{
    public int Line { get; init; }

    /// <summary>
    /// The example plugin's match test. NCCL passes numPipeOps = 1 and regBuff = 0 for a single collective on
    /// buffers the job did not register, which is how ccl-agent's jobs and the simulator run.
    /// </summary>
    public bool Matches(TunerKey key) =>
        Op == key.Op && key.Bytes >= MinBytes && key.Bytes <= MaxBytes
        && (Nodes == -1 || Nodes == key.Nodes) && (Ranks == -1 || Ranks == key.Ranks)
        && (NumPipeOps == -1 || NumPipeOps == 1) && (RegBuff == -1 || RegBuff == 0);
}
