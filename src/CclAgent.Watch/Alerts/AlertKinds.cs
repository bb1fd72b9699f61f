namespace CclAgent.Watch.Alerts;

/// <summary>The <c>kind</c> of every alert watch raises.</summary>
public static class AlertKinds
{
    public const string NanLoss = "nan_loss";
    public const string NanGradNorm = "nan_grad_norm";
    public const string LossSpike = "loss_spike";
    public const string GradNormExplosion = "grad_norm_explosion";
    public const string LossScaleCollapse = "loss_scale_collapse";
    public const string ValDegrading = "val_degrading";
    public const string MemoryGrowth = "memory_growth";
    public const string IterationTimeRegression = "iteration_time_regression";
    public const string Stalled = "stalled";
}
