using System.CommandLine;
using CclAgent.Core.Files;
using CclAgent.Trace;

namespace CclAgent.Cli.Commands;

/// <summary>`ccl-agent trace workload`: a workload spec for `tune` from Kineto traces of a real job and a cluster description.</summary>
internal sealed class TraceWorkloadCommand : Command
{
    private readonly Argument<string[]> _inputs = new("KINETO_TRACE") { Description = "Kineto trace files (one per rank) or directories of them (.json, .json.gz).", Arity = ArgumentArity.OneOrMore };
    private readonly Option<string> _cluster = new("--cluster") { Description = "Cluster JSON: a workload spec's cluster object, or a workload file whose cluster is reused.", Required = true };
    private readonly Option<string?> _out = new("--out") { Description = "File to write the workload spec to (default: stdout)." };

    public TraceWorkloadCommand()
        : base("workload", "Turn Kineto traces into a workload spec (compute per iteration, collectives, overlap) that tune --workload accepts.")
    {
        Arguments.Add(_inputs);
        Options.Add(_cluster);
        Options.Add(_out);
        SetAction((parse, ct) => ExecuteAsync(parse, ct));
    }

    private async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        TextWriter error = parse.InvocationConfiguration.Error;
        string[] inputs = parse.GetValue(_inputs) ?? [];
        string cluster = parse.GetValue(_cluster)!;
        if (await TraceInputReading.RunAsync(() => TraceWorkload.ToJson(TraceWorkload.Build(inputs, cluster)), error, cancellationToken) is not string json)
        {
            return ExitCodes.InvalidInput;
        }

        if (parse.GetValue(_out) is not string file)
        {
            await parse.InvocationConfiguration.Output.WriteAsync(json);
            return ExitCodes.Success;
        }

        try
        {
            await AtomicFile.WriteAllTextAsync(file, json, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"error: --out {file}: cannot write: {ex.Message}");
            return ExitCodes.InvalidInput;
        }

        await parse.InvocationConfiguration.Output.WriteLineAsync($"wrote {file}");
        return ExitCodes.Success;
    }
}
