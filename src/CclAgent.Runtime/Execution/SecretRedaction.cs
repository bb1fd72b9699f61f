namespace CclAgent.Runtime.Execution;

/// <summary>
/// Decides which environment values may be written to disk. Run directories are shared and attached to
/// bug reports, so anything whose name looks like a credential is replaced before it is recorded; the
/// job itself still receives the real value.
/// </summary>
public static class SecretRedaction
{
    public const string Mask = "***";

    private static readonly string[] SecretMarkers = ["KEY", "TOKEN", "SECRET", "PASSWORD", "PASSWD", "CREDENTIAL"];

    /// <summary>True when the variable's name contains a secret marker, in any case (e.g. <c>HF_TOKEN</c>, <c>aws_secret_access_key</c>).</summary>
    public static bool IsSecret(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return SecretMarkers.Any(m => name.Contains(m, StringComparison.OrdinalIgnoreCase));
    }

    public static string Redact(string name, string value) => IsSecret(name) ? Mask : value;
}
