using System.Text.RegularExpressions;

namespace CclAgent.Nccl.NcclTests;

/// <summary>
/// Removes what launchers put in front of every line: Open MPI's `--tag-output` ("[1,0]&lt;stdout&gt;:"),
/// MPICH/`mpirun -prepend-rank` ("[0] "), and srun's `--label` ("0: ").
/// </summary>
internal static partial class NcclTestsLinePrefix
{
    public static string Strip(string line)
    {
        Match match = Prefix().Match(line);
        return match.Success ? line[match.Length..] : line;
    }

    [GeneratedRegex(@"^\s*(?:\[\d+(?:,\d+)*\](?:<std(?:out|err)>)?:?|\d+:(?=\s))\s?", RegexOptions.CultureInvariant)]
    private static partial Regex Prefix();
}
