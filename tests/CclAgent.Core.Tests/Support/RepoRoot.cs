namespace CclAgent.Core.Tests.Support;

/// <summary>Finds the repository root (the folder holding CclAgent.sln) from the test's output folder.</summary>
internal static class RepoRoot
{
    public static string Find()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CclAgent.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"CclAgent.sln not found above {AppContext.BaseDirectory}");
    }
}
