using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using CclAgent.Nccl.Tuner;

namespace CclAgent.Nccl.Parameters;

/// <summary>
/// One NCCL configuration: the values a tuner sets. A null field is left to NCCL's own choice, so
/// <see cref="Default"/> is "no overrides". Channels are set as NCCL_MIN_NCHANNELS / NCCL_MAX_NCHANNELS.
/// <see cref="Choices"/> are per-collective choices a tuner plugin applies (algorithm, protocol, channels per
/// op × size × communicator); everything else is an init-time environment variable. In assignments a choice is
/// "tuner:allreduce:16777216:n2:r16" = "ring/simple/8", so patches, memory rows and step records carry them too.
/// </summary>
public sealed record NcclConfig
{
    public static NcclConfig Default { get; } = new();

    public NcclAlgorithm? Algorithm { get; init; }
    public NcclProtocol? Protocol { get; init; }
    public int? NThreads { get; init; }
    public long? BuffSize { get; init; }
    public int? MinChannels { get; init; }
    public int? MaxChannels { get; init; }
    public PathLevel? P2PLevel { get; init; }
    public PathLevel? NetGdrLevel { get; init; }
    public int? IbQpsPerConnection { get; init; }
    public int? SocketNThreads { get; init; }
    public int? NSocksPerThread { get; init; }
    public int? CrossNic { get; init; }

    /// <summary>Per-collective choices, applied through the tuner plugin's conf file (never through the environment).</summary>
    public ImmutableSortedDictionary<TunerKey, TunerChoice> Choices { get; init; } = ImmutableSortedDictionary<TunerKey, TunerChoice>.Empty;

    public bool HasChoices => !Choices.IsEmpty;

    public TunerChoice? ChoiceFor(TunerKey key) => Choices.TryGetValue(key, out TunerChoice? choice) ? choice : null;

    /// <summary>Sets (or, with null, removes) the choice for one collective.</summary>
    public NcclConfig WithChoice(TunerKey key, TunerChoice? choice) =>
        this with { Choices = choice is null ? Choices.Remove(key) : Choices.SetItem(key, choice) };

    /// <summary>The init-time part: the environment variables alone.</summary>
    public NcclConfig WithoutChoices() => HasChoices ? this with { Choices = ImmutableSortedDictionary<TunerKey, TunerChoice>.Empty } : this;

    public bool Equals(NcclConfig? other) =>
        other is not null && Algorithm == other.Algorithm && Protocol == other.Protocol && NThreads == other.NThreads && BuffSize == other.BuffSize
        && MinChannels == other.MinChannels && MaxChannels == other.MaxChannels && P2PLevel == other.P2PLevel && NetGdrLevel == other.NetGdrLevel
        && IbQpsPerConnection == other.IbQpsPerConnection && SocketNThreads == other.SocketNThreads && NSocksPerThread == other.NSocksPerThread
        && CrossNic == other.CrossNic && Choices.Count == other.Choices.Count && Choices.All(c => other.Choices.TryGetValue(c.Key, out TunerChoice? o) && o == c.Value);

    public override int GetHashCode() => HashCode.Combine(
        HashCode.Combine(Algorithm, Protocol, NThreads, BuffSize, MinChannels, MaxChannels),
        HashCode.Combine(P2PLevel, NetGdrLevel, IbQpsPerConnection, SocketNThreads, NSocksPerThread, CrossNic),
        Choices.Count);

    /// <summary>The set values as NCCL env var name → value, in a stable order.</summary>
    public IReadOnlyDictionary<string, string> ToAssignments()
    {
        var map = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (ParameterDefinition definition in ParameterSpace.Definitions)
        {
            string? value = definition.Read(this);
            if (value is not null)
            {
                map[definition.Name] = value;
            }
        }

        foreach ((TunerKey key, TunerChoice choice) in Choices)
        {
            map[key.Name] = choice.Value;
        }

        return map;
    }

    /// <summary>Applies env-style assignments (unknown names are ignored here; validation reports them).</summary>
    public NcclConfig With(IReadOnlyDictionary<string, string> assignments)
    {
        NcclConfig config = this;
        foreach ((string name, string value) in assignments)
        {
            config = config.With(name, value);
        }

        return config;
    }

    /// <summary>
    /// Sets one parameter; null or <see cref="DefaultMarker"/> unsets it (a patch can remove a setting).
    /// Values that are not syntactically legal are ignored here — validation reports them.
    /// </summary>
    public NcclConfig With(string name, string? value)
    {
        if (TunerKey.TryParse(name, out TunerKey? key))
        {
            return value is null || value == DefaultMarker ? WithChoice(key.Value, null)
                : TunerChoice.TryParse(value, out TunerChoice? choice) ? WithChoice(key.Value, choice) : this;
        }

        if (!ParameterSpace.TryGet(name, out ParameterDefinition? definition))
        {
            return this;
        }

        if (value is null || value == DefaultMarker)
        {
            return definition.Write(this, null);
        }

        return definition.CheckSyntax(value) is null || IsInteger(definition, value) ? definition.Write(this, value) : this;
    }

    /// <summary>The value a patch uses for "back to NCCL's default".</summary>
    public const string DefaultMarker = "(default)";

    private static bool IsInteger(ParameterDefinition definition, string value) =>
        definition.Kind == ParameterKind.Number && (definition.Name == ParameterSpace.BuffSize
            ? long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)
            : int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _));

    public static NcclConfig FromAssignments(IReadOnlyDictionary<string, string> assignments) => Default.With(assignments);

    /// <summary>Assignments in which this config differs from <paramref name="other"/> (the "patch" from other to this).</summary>
    public IReadOnlyDictionary<string, string> PatchFrom(NcclConfig other)
    {
        var mine = ToAssignments();
        var theirs = other.ToAssignments();
        var patch = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (string name in mine.Keys.Union(theirs.Keys))
        {
            mine.TryGetValue(name, out string? a);
            theirs.TryGetValue(name, out string? b);
            if (!string.Equals(a, b, StringComparison.Ordinal))
            {
                patch[name] = a ?? DefaultMarker;
            }
        }

        return patch;
    }

    /// <summary>True when every assignment of the patch holds in this config.</summary>
    public bool Matches(IReadOnlyDictionary<string, string> patch)
    {
        var mine = ToAssignments();
        return patch.All(kv => kv.Value == DefaultMarker
            ? !mine.ContainsKey(kv.Key)
            : mine.TryGetValue(kv.Key, out string? v) && string.Equals(v, kv.Value, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Canonical key "NAME=value;…" ("default" when nothing is set): equal keys mean equal configs.</summary>
    public string Key
    {
        get
        {
            var assignments = ToAssignments();
            return assignments.Count == 0 ? "default" : string.Join(';', assignments.Select(kv => $"{kv.Key}={kv.Value}"));
        }
    }

    /// <summary>Short form for progress lines: "ALGO=Ring PROTO=Simple CH=8".</summary>
    public string ToShortString()
    {
        var assignments = ToAssignments();
        if (assignments.Count == 0)
        {
            return "NCCL defaults";
        }

        var text = new StringBuilder();
        foreach ((string name, string value) in assignments)
        {
            if (text.Length > 0)
            {
                text.Append(' ');
            }

            text.Append(CultureInfo.InvariantCulture, $"{name.Replace("NCCL_", string.Empty, StringComparison.Ordinal)}={value}");
        }

        return text.ToString();
    }

    public override string ToString() => Key;
}
