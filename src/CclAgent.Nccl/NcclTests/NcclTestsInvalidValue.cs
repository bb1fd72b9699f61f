namespace CclAgent.Nccl.NcclTests;

/// <summary>
/// A result row whose time or bandwidth cell cannot be a measurement (negative, non-finite, or a zero time):
/// the row is dropped, and this says where and why (docs/nccl-tests.md, "Invalid rows").
/// </summary>
/// <param name="Line">1-based line of the input.</param>
/// <param name="Column">"time", "algbw" or "busbw".</param>
/// <param name="Token">The cell as printed.</param>
public sealed record NcclTestsInvalidValue(long Line, string Column, string Token)
{
    public override string ToString() => $"line {Line}: {Column} {Token} is not a valid measurement (times must be finite and > 0, bandwidths finite and >= 0)";
}
