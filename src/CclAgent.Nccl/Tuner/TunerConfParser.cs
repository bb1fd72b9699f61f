using CclAgent.Nccl.Parameters;
using System.Globalization;

namespace CclAgent.Nccl.Tuner;

/// <summary>
/// Reads nccl_tuner.conf exactly as NCCL's example plugin does (plugins/tuner/example/plugin.c): lines whose first
/// character is '#' and empty lines are skipped, fields are split on ',' and trimmed of spaces and tabs, rows need 8 to
/// 10 fields. Where the plugin silently guesses (an unknown name becomes allreduce/ring/simple, a short row is
/// dropped, a line over 255 characters is cut), the parser keeps the plugin's reading and reports the line.
/// </summary>
public static class TunerConfParser
{
    /// <summary>The plugin's fgets buffer is 256 bytes: anything past 255 characters is read as the next line.</summary>
    public const int MaxLineLength = 255;

    public static TunerConfFile Parse(string text)
    {
        var rows = new List<TunerConfRow>();
        var problems = new List<TunerConfProblem>();
        string[] lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].TrimEnd('\r');
            int number = i + 1;
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            if (line.Length > MaxLineLength)
            {
                problems.Add(new(number, $"line is {line.Length} characters; NCCL's example plugin reads at most {MaxLineLength} and splits the rest into another row"));
                continue;
            }

            if (ParseRow(line, number, problems) is { } row)
            {
                rows.Add(row);
            }
        }

        return new TunerConfFile(rows, problems);
    }

    private static TunerConfRow? ParseRow(string line, int number, List<TunerConfProblem> problems)
    {
        string[] fields = line.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(f => f.Trim(' ', '\t')).ToArray();
        if (string.Equals(string.Join(',', fields), TunerConfWriter.Header, StringComparison.Ordinal))
        {
            problems.Add(new(number, "the column header is not commented: NCCL's example plugin reads it as an allreduce row for 0-byte messages; start it with '#'"));
            return null;
        }

        if (fields.Length is < 8 or > 10)
        {
            problems.Add(new(number, $"{fields.Length} fields; a row needs 8 to 10 (collective_type,min_bytes,max_bytes,algorithm,protocol,channels,nNodes,nRanks[,numPipeOps[,regBuff]]) and NCCL's example plugin skips it silently"));
            return null;
        }

        int before = problems.Count;
        CollectiveOp op = Name(fields[0], TunerConfNames.TryParseOp, CollectiveOp.AllReduce, "collective_type", TunerConfNames.OpNames, number, problems);
        long min = Bytes(fields[1], "min_bytes", number, problems);
        long max = Bytes(fields[2], "max_bytes", number, problems);
        NcclAlgorithm algorithm = Name(fields[3], TunerConfNames.TryParseAlgorithm, NcclAlgorithm.Ring, "algorithm", TunerConfNames.AlgorithmNames, number, problems);
        NcclProtocol protocol = Name(fields[4], TunerConfNames.TryParseProtocol, NcclProtocol.Simple, "protocol", TunerConfNames.ProtocolNames, number, problems);
        int channels = Integer(fields[5], "channels", number, problems);
        int nodes = Integer(fields[6], "nNodes", number, problems);
        int ranks = Integer(fields[7], "nRanks", number, problems);
        int pipeOps = fields.Length > 8 ? Integer(fields[8], "numPipeOps", number, problems) : -1;
        int regBuff = fields.Length > 9 ? Integer(fields[9], "regBuff", number, problems) : -1;
        if (problems.Count == before && min > max)
        {
            problems.Add(new(number, $"min_bytes {min} is above max_bytes {max}: the row can never match"));
        }

        return new TunerConfRow(op, min, max, algorithm, protocol, channels, nodes, ranks, pipeOps, regBuff) { Line = number };
    }

    private delegate bool TryParse<T>(string text, out T value);

    private static T Name<T>(string text, TryParse<T> parse, T pluginDefault, string field, string allowed, int line, List<TunerConfProblem> problems)
    {
        if (parse(text, out T value))
        {
            return value;
        }

        problems.Add(new(line, $"{field} '{text}' is not one of {allowed} (lowercase); NCCL's example plugin would silently read it as '{pluginDefault}'"));
        return pluginDefault;
    }

    /// <summary>strtoull: a number, or 0 when the text does not start with digits.</summary>
    private static long Bytes(string text, string field, int line, List<TunerConfProblem> problems)
    {
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long value))
        {
            return value;
        }

        problems.Add(new(line, $"{field} '{text}' is not a non-negative byte count"));
        return 0;
    }

    /// <summary>atoi: an integer, -1 as the wildcard.</summary>
    private static int Integer(string text, string field, int line, List<TunerConfProblem> problems)
    {
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value) && value >= -1)
        {
            return value;
        }

        problems.Add(new(line, $"{field} '{text}' is not an integer ≥ -1 (-1 is the wildcard)"));
        return -1;
    }
}
