namespace CclAgent.Simulation.NcclTests;

/// <summary>How an emulated nccl-tests run ended: success, or the NCCL error / wrong results a real run would show.</summary>
public sealed record NcclTestsEmulation(bool Succeeded, string? Error);
