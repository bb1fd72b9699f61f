namespace CclAgent.Core.Validation;

/// <summary>Collects range and consistency problems for one input file while a validator walks it.</summary>
public sealed class ProblemCollector(string file)
{
    private readonly List<InputProblem> _problems = [];

    public string File { get; } = file;

    public IReadOnlyList<InputProblem> Problems => _problems;

    public void Add(string jsonPath, string message) => _problems.Add(new InputProblem(File, jsonPath, message));

    public T? Required<T>(T? value, string jsonPath, string expected)
        where T : class
    {
        if (value is null)
        {
            Add(jsonPath, $"missing; expected {expected}");
        }

        return value;
    }

    public void RequireRange(double? value, string jsonPath, double min, double max, bool required = true)
    {
        if (value is null)
        {
            if (required)
            {
                Add(jsonPath, $"missing; expected a number in [{min}, {max}]");
            }

            return;
        }

        if (double.IsNaN(value.Value) || value < min || value > max)
        {
            Add(jsonPath, $"{value} is out of range; expected a number in [{min}, {max}]");
        }
    }

    public void RequireOneOf(string? value, string jsonPath, IReadOnlyCollection<string> allowed, bool required = true)
    {
        if (value is null)
        {
            if (required)
            {
                Add(jsonPath, $"missing; expected one of {string.Join(", ", allowed)}");
            }

            return;
        }

        if (!allowed.Contains(value, StringComparer.OrdinalIgnoreCase))
        {
            Add(jsonPath, $"'{value}' is not allowed; expected one of {string.Join(", ", allowed)}");
        }
    }
}
