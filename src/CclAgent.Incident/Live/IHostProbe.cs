namespace CclAgent.Incident.Live;

/// <summary>Runs a read-only host command (dmesg, journalctl, nvidia-smi); null when it is absent or not permitted.</summary>
public interface IHostProbe
{
    Task<string?> RunAsync(string command, IReadOnlyList<string> arguments, CancellationToken cancellationToken);
}
