using System.Globalization;
using System.Text.RegularExpressions;

namespace CclAgent.Diagnosis.Matchers;

/// <summary>
/// Which hosts a job's ranks run on, from what NCCL and nccl-tests print about every rank: NCCL 2.19+'s
/// <c>comm 0x… rank 1 nRanks 8 nNodes 1 localRanks 8</c>, the per-rank <c>comm 0x… rank 3 nranks 4 … Init COMPLETE</c>
/// under its <c>host:pid:tid [dev]</c> prefix, and nccl-tests' device table (<c>#  Rank  0 Group  0 Pid  69438 on host
/// device  0 [0x01] …</c>), which rank 0 prints for all ranks. Only positive evidence counts: one host's lines covering
/// some ranks of a larger job say nothing. Bounded: a job's rank count, 64 host names.
/// </summary>
internal sealed partial class RankPlacement
{
    private const int MaxHosts = 64;
    private const int MaxRanks = 65_536;
    private readonly HashSet<string> _hosts = [];
    private readonly HashSet<int> _ranks = [];
    private int _worldSize;
    private int _nodes;
    private int _tableRows;

    /// <summary>The host every rank runs on, when the log shows that all do; null when it shows several or cannot tell.</summary>
    public string? SingleHost => _hosts.Count == 1 && (_nodes == 1 || _tableRows > 0 || AllRanksSeen) && _nodes <= 1 ? _hosts.First() : null;

    /// <summary>How many ranks the job has, where the log says (0 when it does not).</summary>
    public int Ranks => Math.Max(_worldSize, _tableRows);

    private bool AllRanksSeen => _worldSize > 0 && _ranks.Count == _worldSize;

    /// <summary>Reads one line; true when it said something about where a rank runs.</summary>
    public bool Observe(string line)
    {
        if (TableRow().Match(line) is { Success: true } row)
        {
            _tableRows++;
            AddHost(row.Groups["host"].Value);
            return true;
        }

        if (NcclRank().Match(line) is not { Success: true } rank)
        {
            return false;
        }

        AddHost(rank.Groups["host"].Value);
        int size = Parse(rank.Groups["nranks"].Value);
        if (size > _worldSize)
        {
            // A larger communicator is the job; ranks seen of a smaller one (a sub-group) do not cover it.
            _worldSize = Math.Min(size, MaxRanks);
            _ranks.Clear();
        }

        int index = Parse(rank.Groups["rank"].Value);
        if (size == _worldSize && index < _worldSize)
        {
            _ranks.Add(index);
        }

        if (rank.Groups["nodes"].Success)
        {
            _nodes = Math.Max(_nodes, Parse(rank.Groups["nodes"].Value));
        }

        return true;
    }

    private void AddHost(string host)
    {
        if (_hosts.Count < MaxHosts)
        {
            _hosts.Add(host.Trim());
        }
    }

    private static int Parse(string digits) => int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int value) ? value : int.MaxValue;

    [GeneratedRegex(@"^#\s+Rank\s+\d+\s+(?:Group\s+\d+\s+)?Pid\s+\d+\s+on\s+(?<host>\S+)\s+device\s+\d+")]
    private static partial Regex TableRow();

    [GeneratedRegex(@"^(?<host>[^\s:\[][^:]*?)\s?:\d+:\d+ \[\d+\] NCCL INFO .*?\bcomm 0x[0-9a-fA-F]+ rank (?<rank>\d+) n[Rr]anks (?<nranks>\d+)(?: nNodes (?<nodes>\d+))?")]
    private static partial Regex NcclRank();
}
