using System.Text;
using CclAgent.Nccl.Parameters;

namespace CclAgent.Nccl.Compilation;

/// <summary>
/// Compiles a configuration into the environment variables NCCL reads. Channel bounds are written
/// under both the legacy NCCL_*_NCHANNELS names and the NCCL_*_CTAS names NCCL ≥ 2.17 prefers,
/// with equal values, so every NCCL version sees the same bound.
/// </summary>
public static class NcclEnvCompiler
{
    /// <summary>The environment variables alone; per-collective choices go to the tuner conf file (TunerRows).</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Compile(NcclConfig config)
    {
        var variables = new List<KeyValuePair<string, string>>();
        foreach ((string name, string value) in config.WithoutChoices().ToAssignments())
        {
            variables.Add(new(name, value));
            if (ParameterSpace.TryGet(name, out ParameterDefinition? definition))
            {
                variables.AddRange(definition.Aliases.Select(alias => new KeyValuePair<string, string>(alias, value)));
            }
        }

        return variables;
    }

    /// <summary>Renders a sourceable .env file (KEY=VALUE lines) with a header saying where it came from.</summary>
    public static string RenderEnvFile(NcclConfig config, string header)
    {
        var text = new StringBuilder();
        foreach (string line in header.Split('\n'))
        {
            text.Append("# ").Append(line.TrimEnd()).Append('\n');
        }

        IReadOnlyList<KeyValuePair<string, string>> variables = Compile(config);
        if (variables.Count == 0)
        {
            text.Append("# NCCL's defaults were best: no variables to set.\n");
        }

        foreach ((string name, string value) in variables)
        {
            text.Append(name).Append('=').Append(value).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Reads a file <see cref="RenderEnvFile"/> wrote (KEY=VALUE lines, '#' comments) back into a configuration.</summary>
    public static NcclConfig ParseEnvFile(string text) => FromEnvironment(
        text.Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0 && line[0] != '#' && line.Contains('=', StringComparison.Ordinal))
            .Select(line => new KeyValuePair<string, string?>(line[..line.IndexOf('=', StringComparison.Ordinal)], line[(line.IndexOf('=', StringComparison.Ordinal) + 1)..])));

    /// <summary>Parses NCCL_* variables (e.g. from an environment) back into a configuration, ignoring unknown ones.</summary>
    public static NcclConfig FromEnvironment(IEnumerable<KeyValuePair<string, string?>> environment)
    {
        var assignments = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach ((string name, string? value) in environment)
        {
            if (value is not null && ParameterSpace.TryGet(name, out ParameterDefinition? definition) && definition.CheckSyntax(value) is null)
            {
                assignments[definition.Name] = value;
            }
        }

        return NcclConfig.FromAssignments(assignments);
    }
}
