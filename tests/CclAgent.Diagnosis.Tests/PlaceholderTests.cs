namespace CclAgent.Diagnosis.Tests;

public sealed class PlaceholderTests
{
    [Fact]
    public void Diagnosis_assembly_loads() => Assert.NotNull(typeof(CclAgent.Diagnosis.Tests.PlaceholderTests).Assembly);
}
