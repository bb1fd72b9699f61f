namespace CclAgent.Core.Validation;

/// <summary>The outcome of reading user input: a value, or the problems that stopped it. Never throws for bad input.</summary>
public sealed record LoadResult<T>(T? Value, IReadOnlyList<InputProblem> Problems)
    where T : class
{
    public bool IsValid => Value is not null && Problems.Count == 0;

    public static LoadResult<T> Ok(T value) => new(value, []);

    public static LoadResult<T> Failed(IReadOnlyList<InputProblem> problems) => new(null, problems);

    public static LoadResult<T> Failed(InputProblem problem) => new(null, [problem]);
}
