namespace CclAgent.Trace.Inspector;

/// <summary>
/// One completed operation from an NCCL Inspector log: a collective (<c>coll_perf</c>) or a point-to-point operation
/// (<c>p2p_perf</c>), with the communicator context of its dump (<c>header</c>, <c>metadata</c>).
/// </summary>
/// <param name="Process">Who wrote it: <c>hostname/pid</c> from the metadata, or the file when the metadata is absent.</param>
/// <param name="CommId">The communicator (<c>header.id</c>).</param>
/// <param name="Rank">The rank inside that communicator (<c>header.rank</c>).</param>
/// <param name="NRanks">The communicator's size (<c>header.n_ranks</c>).</param>
/// <param name="IsP2p">A Send or Recv (<c>p2p_perf</c>) rather than a collective.</param>
/// <param name="Op">The collective (<c>AllReduce</c>…) or p2p operation (<c>Send</c>, <c>Recv</c>).</param>
/// <param name="Sn">The operation's sequence number in its communicator: the same call has the same number on every rank.</param>
/// <param name="MsgBytes">Inspector's message size: per rank for AllGather and ReduceScatter (inspector.cc multiplies by n_ranks).</param>
/// <param name="ExecUs">Execution time in µs (<c>coll_exec_time_us</c>).</param>
/// <param name="Algorithm">NCCL's algorithm (<c>coll_algo</c>) where the Inspector version reports it, else empty.</param>
/// <param name="Protocol">NCCL's protocol (<c>coll_proto</c>) where reported, else empty.</param>
/// <param name="TimingSource">How the time was measured (<c>kernel_gpu</c>, <c>kernel_cpu</c>, <c>collective_cpu</c>).</param>
internal sealed record InspectorRecord(
    string Process,
    string CommId,
    int Rank,
    int NRanks,
    bool IsP2p,
    string Op,
    long Sn,
    long MsgBytes,
    double ExecUs,
    string Algorithm,
    string Protocol,
    string TimingSource);
