namespace CclAgent.Watch.Tests;

public sealed class PlaceholderTests
{
    [Fact]
    public void Watch_assembly_loads() => Assert.NotNull(typeof(CclAgent.Watch.Tests.PlaceholderTests).Assembly);
}
