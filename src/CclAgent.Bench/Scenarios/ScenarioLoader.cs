using CclAgent.Core.Validation;
using CclAgent.Core.Workloads;

namespace CclAgent.Bench.Scenarios;

/// <summary>Loads scenarios from directories (every *.json) and files; every problem is reported, nothing thrown.</summary>
public static class ScenarioLoader
{
    public static async Task<(IReadOnlyList<BenchScenario> Scenarios, IReadOnlyList<InputProblem> Problems)> LoadAsync(IEnumerable<string> paths, CancellationToken cancellationToken)
    {
        var scenarios = new List<BenchScenario>();
        var problems = new List<InputProblem>();
        foreach (string path in paths)
        {
            IEnumerable<string> files = Directory.Exists(path)
                ? Directory.GetFiles(path, "*.json").Order(StringComparer.Ordinal)
                : [path];
            foreach (string file in files)
            {
                LoadResult<WorkloadSpec> result = await WorkloadLoader.LoadAsync(file, cancellationToken);
                if (!result.IsValid)
                {
                    problems.AddRange(result.Problems);
                    continue;
                }

                scenarios.Add(new BenchScenario(Path.GetFileNameWithoutExtension(file), file, result.Value!));
            }
        }

        if (scenarios.Count == 0 && problems.Count == 0)
        {
            problems.Add(new InputProblem(string.Join(", ", paths), "$", "no workload specs found; expected a directory of *.json specs or spec files"));
        }

        return (scenarios, problems);
    }
}
