namespace CclAgent.Nccl.Platforms;

/// <summary>GPU generations NCCL's tuning tables distinguish (compcap index).</summary>
public enum GpuGeneration
{
    Volta = 0,
    Ampere = 1,
    Hopper = 2,
    Blackwell = 3,
}
