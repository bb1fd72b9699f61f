namespace CclAgent.Nccl.Tests.NcclTests;

/// <summary>nccl-tests outputs in the real formats (current, legacy, MPI-prefixed, …), copied beside the test assembly.</summary>
internal static class Fixture
{
    public static string Path(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "NcclTests", "Fixtures", name);

    public static Task<CclAgent.Nccl.NcclTests.NcclTestsReport> ParseAsync(string name) =>
        CclAgent.Nccl.NcclTests.NcclTestsParser.ParseFileAsync(Path(name));
}
