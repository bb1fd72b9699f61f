namespace CclAgent.Watch;

/// <summary>Marker for the watch capability (training-log supervisor).</summary>
internal static class WatchAssembly;
