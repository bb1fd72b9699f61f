using System.CommandLine;
using System.Globalization;
using System.Text;
using CclAgent.Core.Files;
using CclAgent.Nccl.NcclTests;

namespace CclAgent.Cli.Commands;

/// <summary>`ccl-agent nccltests parse FILE [--json]`: the tables of an nccl-tests output and their average bus bandwidth.</summary>
internal sealed class NcclTestsParseCommand : Command
{
    private readonly Argument<string> _file = new("FILE") { Description = "nccl-tests output (stdout of *_perf, possibly with MPI/srun line prefixes and NCCL logs mixed in)." };
    private readonly Option<bool> _json = new("--json") { Description = "Print the tables as JSON on stdout (schema: docs/nccl-tests.md)." };

    public NcclTestsParseCommand()
        : base("parse", "Parse nccl-tests output: rows (size, count, type, redop, root, time, algbw, busbw, #wrong) per collective and the average bus bandwidth.")
    {
        Arguments.Add(_file);
        Options.Add(_json);
        SetAction((parse, ct) => ExecuteAsync(parse, ct));
    }

    private async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        TextWriter error = parse.InvocationConfiguration.Error;
        TextWriter output = parse.InvocationConfiguration.Output;
        string path = parse.GetValue(_file)!;
        if (InputFile.Check(path, "nccl-tests output in a file") is string refused)
        {
            await error.WriteLineAsync($"error: {path}: {refused}");
            return ExitCodes.InvalidInput;
        }

        if (!File.Exists(path))
        {
            await error.WriteLineAsync($"error: {path}: file not found");
            return ExitCodes.InvalidInput;
        }

        NcclTestsReport report;
        try
        {
            report = await NcclTestsParser.ParseFileAsync(path, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"error: {path}: cannot read: {ex.Message}");
            return ExitCodes.InvalidInput;
        }

        // Refused rather than dropped with a warning: a negative time is a broken binary or a doctored file,
        // and a parse that "succeeds" without it would hide that from whoever reads the averages.
        if (report.InvalidValues.Count > 0)
        {
            string more = report.InvalidRows > 1 ? string.Create(CultureInfo.InvariantCulture, $" (and {report.InvalidRows - 1} more invalid rows)") : string.Empty;
            NcclTestsInvalidValue first = report.InvalidValues[0];
            await error.WriteLineAsync($"error: {path}:{first.Line}: {first.Column} {first.Token} is not a valid measurement (times must be finite and > 0, bandwidths finite and >= 0){more}");
            return ExitCodes.InvalidInput;
        }

        if (!report.HasTable)
        {
            await error.WriteLineAsync($"error: {path}: no nccl-tests table found ({report.Lines} lines, none a *_perf result row)");
            return ExitCodes.InvalidInput;
        }

        if (parse.GetValue(_json))
        {
            using var buffer = new MemoryStream();
            NcclTestsJsonWriter.Write(report, buffer);
            await output.WriteLineAsync(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
            return ExitCodes.Success;
        }

        foreach (NcclTestsCollective collective in report.Collectives)
        {
            await output.WriteLineAsync(Summary(collective));
        }

        if (report.SkippedLines > 0)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"skipped {report.SkippedLines} of {report.Lines} lines that are not nccl-tests output"));
        }

        return ExitCodes.Success;
    }

    private static string Summary(NcclTestsCollective c)
    {
        NcclTestsRow first = c.Rows[0];
        NcclTestsRow last = c.Rows[^1];
        string match = c.AverageMatchesReported switch
        {
            true => " (matches)",
            false => " (DIFFERS)",
            null => string.Empty,
        };
        double peak = c.Rows.Max(r => Math.Max(r.OutOfPlace.BusBw ?? 0, r.InPlace.BusBw ?? 0));
        string head = string.Create(CultureInfo.InvariantCulture,
            $"{c.Name ?? "(unnamed)"}: {c.Rows.Count + c.DroppedRows} rows, {first.Size}..{last.Size} B, {first.Type ?? "?"}/{first.Redop ?? "-"}{(c.LegacyErrorColumn ? ", legacy format" : string.Empty)}");
        string averages = string.Create(CultureInfo.InvariantCulture,
            $"avg busbw {Format(c.AvgBusBandwidth)} GB/s computed, {Format(c.ReportedAvgBusBandwidth)} reported{match}; peak busbw {peak:0.##} GB/s");
        string bounds = c.OutOfBounds is int oob ? string.Create(CultureInfo.InvariantCulture, $"; out of bounds {oob}") : string.Empty;
        return $"{head}; {averages}{bounds}";
    }

    private static string Format(double? value) => value is double v ? v.ToString("0.####", CultureInfo.InvariantCulture) : "n/a";
}
