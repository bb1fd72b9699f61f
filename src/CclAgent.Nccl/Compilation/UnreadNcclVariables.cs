using CclAgent.Nccl.Parameters;

namespace CclAgent.Nccl.Compilation;

/// <summary>
/// The NCCL_* variables of an environment that <see cref="NcclEnvCompiler.FromEnvironment"/> does not read: a name the
/// parameter space does not model (NCCL_IB_DISABLE, NCCL_NVLS_ENABLE, NCCL_SOCKET_IFNAME …), or a modelled name whose
/// value it cannot read (an NCCL_ALGO list or "^" negation). The simulator predicts as if each were unset, so a user
/// comparing it with a real run must be told, one line per variable, instead of finding out from a wrong number.
/// </summary>
public static class UnreadNcclVariables
{
    /// <summary>Variables that only change what NCCL logs or where, never a choice or a speed.</summary>
    private static readonly HashSet<string> LoggingOnly = new(StringComparer.Ordinal)
    {
        "NCCL_DEBUG", "NCCL_DEBUG_SUBSYS", "NCCL_DEBUG_FILE", "NCCL_DEBUG_TIMESTAMP_FORMAT", "NCCL_DEBUG_TIMESTAMP_LEVELS", "NCCL_WARN_ENABLE_DEBUG_INFO",
    };

    /// <summary>
    /// Every NCCL variable that would change a choice or a speed, for a simulated job that applies none of them (the
    /// workload's <c>env</c> and <c>--env</c> in dry-run go to real jobs only). Sorted by name.
    /// </summary>
    public static IReadOnlyList<UnreadVariable> AllOf(IEnumerable<KeyValuePair<string, string?>> environment, string reason)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return [.. environment
            .Where(v => v.Value is not null && v.Key.StartsWith("NCCL_", StringComparison.Ordinal) && !LoggingOnly.Contains(v.Key))
            .Select(v => new UnreadVariable(v.Key, v.Value!, reason))
            .OrderBy(u => u.Name, StringComparer.Ordinal)];
    }

    /// <summary>One (name, value, why) per unread variable, sorted by name.</summary>
    public static IReadOnlyList<UnreadVariable> Of(IEnumerable<KeyValuePair<string, string?>> environment, IReadOnlySet<string>? readElsewhere = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var unread = new List<UnreadVariable>();
        foreach ((string name, string? value) in environment)
        {
            if (value is null || !name.StartsWith("NCCL_", StringComparison.Ordinal) || LoggingOnly.Contains(name) || readElsewhere?.Contains(name) == true)
            {
                continue;
            }

            if (!ParameterSpace.TryGet(name, out ParameterDefinition? definition))
            {
                unread.Add(new UnreadVariable(name, value, "not modelled"));
            }
            else if (definition.CheckSyntax(value) is { } problem)
            {
                unread.Add(new UnreadVariable(name, value, $"value not read: {problem}"));
            }
        }

        return [.. unread.OrderBy(u => u.Name, StringComparer.Ordinal)];
    }
}
