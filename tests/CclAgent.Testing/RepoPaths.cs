namespace CclAgent.Testing;

/// <summary>The repository root (the folder holding CclAgent.sln), found from the test's output folder.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Workload(string name) => Path.Combine(Root, "workload", "sim", name + ".json");

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CclAgent.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root (CclAgent.sln) not found");
    }
}
