using CclAgent.Core.Json;
using CclAgent.Core.Validation;

namespace CclAgent.Core.Workloads;

/// <summary>
/// Loads a workload file in two passes: the JSON reader catches syntax, unknown fields and wrong
/// types; the validator then checks ranges and consistency. Bad input comes back as problems, never
/// as an exception, so the CLI can print every one of them at once.
/// </summary>
public static class WorkloadLoader
{
    public static async Task<LoadResult<WorkloadSpec>> LoadAsync(string path, CancellationToken ct)
    {
        LoadResult<WorkloadSpec> read = await JsonInputReader.ReadAsync(path, CoreJsonContext.Default.WorkloadSpec, ct);
        if (read.Value is not WorkloadSpec spec)
        {
            return read;
        }

        IReadOnlyList<InputProblem> problems = WorkloadValidator.Validate(spec, path);

        // Failed drops the value so a caller that only checks Value cannot run an invalid workload.
        return problems.Count == 0 ? read : LoadResult<WorkloadSpec>.Failed(problems);
    }
}
