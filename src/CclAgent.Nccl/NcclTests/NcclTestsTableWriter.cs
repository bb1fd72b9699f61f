using System.Globalization;

namespace CclAgent.Nccl.NcclTests;

/// <summary>
/// Writes the table part of a `*_perf` output byte for byte as nccl-tests' src/util.cu does (writeResultHeader,
/// writeBenchmarkLinePreamble/Body, writeResultFooter), so anything that reads real nccl-tests output reads
/// ours. The header and device lines before the table are the caller's (they depend on the run).
/// </summary>
public static class NcclTestsTableWriter
{
    /// <summary>The "#" separator, the out-of-place/in-place banner, column names and units.</summary>
    public static void WriteHeader(TextWriter output, bool cpuTime)
    {
        ArgumentNullException.ThrowIfNull(output);
        string time = cpuTime ? "cputime" : "time";
        output.Write("#\n");
        output.Write(Invariant($"# {"",10}  {"",12}  {"",8}  {"",6}  {"",6}           out-of-place                       in-place          \n"));
        output.Write(Invariant($"# {"size",10}  {"count",12}  {"type",8}  {"redop",6}  {"root",6}  {time,7}  {"algbw",6}  {"busbw",6}  {"#wrong",6}  {time,7}  {"algbw",6}  {"busbw",6}  {"#wrong",6} \n"));
        output.Write(Invariant($"# {"(B)",10}  {"(elements)",12}  {"",8}  {"",6}  {"",6}  {"(us)",7}  {"(GB/s)",6}  {"(GB/s)",6}  {"",6}  {"(us)",7}  {"(GB/s)",6}  {"(GB/s)",6}  {"",6} \n"));
    }

    /// <summary>One row: "%12li  %12li  %8s  %6s  %6i" then two "  %7s  %6s  %6s  %6g" blocks (#wrong "N/A" when unchecked).</summary>
    public static void WriteRow(TextWriter output, NcclTestsRow row)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(row);
        output.Write(Invariant($"{row.Size,12}  {row.Count,12}  {row.Type,8}  {row.Redop,6}  {row.Root ?? -1,6}"));
        WriteBlock(output, row.OutOfPlace);
        WriteBlock(output, row.InPlace);
        output.Write('\n');
    }

    /// <summary>"# Out of bounds values", "# Avg bus bandwidth" (%g, and the trailing space nccl-tests leaves), "#", "# Collective test concluded".</summary>
    public static void WriteFooter(TextWriter output, long outOfBounds, double averageBusBandwidth, string programName)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.Write(Invariant($"# {"Out of bounds values",-20} : {outOfBounds} {(outOfBounds > 0 ? "FAILED" : "OK")}\n"));
        output.Write(Invariant($"# {"Avg bus bandwidth",-20} : {NcclTestsNumber.FormatG(averageBusBandwidth)} \n"));
        output.Write("#\n");
        output.Write(Invariant($"# Collective test concluded: {programName}\n"));
    }

    private static void WriteBlock(TextWriter output, NcclTestsMeasurement block)
    {
        string wrong = block.Wrong is double w ? NcclTestsNumber.FormatG(w).PadLeft(6) : "   N/A";
        output.Write(Invariant($"  {NcclTestsNumber.Format(block.TimeUs ?? 0, 7)}  {NcclTestsNumber.Format(block.AlgBw ?? 0, 6)}  {NcclTestsNumber.Format(block.BusBw ?? 0, 6)}  {wrong}"));
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
