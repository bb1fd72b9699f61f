namespace CclAgent.Tuning.Offline;

/// <summary>A microbenchmark reading: median time in µs and the channels NCCL reported.</summary>
public sealed record CollectiveBenchmarkReading(double TimeUs, int Channels);
