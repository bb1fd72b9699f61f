using System.Text;
using System.Text.RegularExpressions;
using CclAgent.Core.Validation;
using CclAgent.Core.Workloads;
using CclAgent.Testing;
using CclAgent.Testing.Fuzzing;

namespace CclAgent.Core.Tests.Fuzzing;

/// <summary>
/// Property test of the workload spec reader over mutants of the real specs (workload/sim and workload/local), text
/// mutants and structure-aware JSON mutants: it never throws; a result is valid or carries problems, never both; each
/// problem names the file and a JSON path; and a valid spec re-validates clean.
/// </summary>
public sealed partial class WorkloadLoaderFuzzTests : IDisposable
{
    private const int TextMutantsPerSeed = 100;
    private const int JsonMutantsPerSeed = 100;
    private const int Seed = 7_001;

    private readonly TempDirectory _temp = new("ccl-fuzz-spec-");

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string> Specs()
    {
        var data = new TheoryData<string>();
        foreach (string folder in new[] { "sim", "local" })
        {
            foreach (string path in Directory.GetFiles(Path.Combine(RepoPaths.Root, "workload", folder), "*.json").Order(StringComparer.Ordinal))
            {
                data.Add(folder + "/" + Path.GetFileName(path));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Specs))]
    public async Task Mutants_of_a_real_spec_never_throw_and_are_valid_or_name_file_and_json_path(string spec)
    {
        string seedText = await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "workload", spec));
        var mutator = new Mutator(Seed + spec.Length, Keys(seedText));
        string path = _temp.File("spec.json");
        byte[] seedBytes = Encoding.UTF8.GetBytes(seedText);
        int index = 0;
        foreach (byte[] mutant in mutator.Mutants(seedBytes, TextMutantsPerSeed))
        {
            await File.WriteAllBytesAsync(path, mutant);
            await CheckAsync(path, $"text mutant {index++} of {spec}");
        }

        string json = seedText;
        for (int i = 0; i < JsonMutantsPerSeed; i++)
        {
            // Every fourth mutant starts again from the real spec; the others pile mutations on the last one.
            json = mutator.MutateJson(i % 4 == 0 ? seedText : json);
            await File.WriteAllTextAsync(path, json);
            await CheckAsync(path, $"json mutant {i} of {spec}: {Excerpt(json)}");
        }
    }

    [Fact]
    public async Task Random_json_values_never_throw_and_give_located_problems()
    {
        var mutator = new Mutator(Seed);
        string path = _temp.File("random.json");
        for (int i = 0; i < 200; i++)
        {
            string json = mutator.RandomJson(4);
            await File.WriteAllTextAsync(path, json);
            await CheckAsync(path, $"random value {i}: {Excerpt(json)}");
        }
    }

    private static async Task CheckAsync(string path, string because)
    {
        LoadResult<WorkloadSpec> result = await WorkloadLoader.LoadAsync(path, CancellationToken.None);

        if (result.Value is WorkloadSpec spec)
        {
            result.Problems.Should().BeEmpty(because);
            result.IsValid.Should().BeTrue(because);
            WorkloadValidator.Validate(spec, path).Should().BeEmpty($"a valid spec re-validates ({because})");
            return;
        }

        result.IsValid.Should().BeFalse(because);
        result.Problems.Should().NotBeEmpty(because);
        foreach (InputProblem problem in result.Problems)
        {
            problem.File.Should().Be(path, because);
            problem.JsonPath.Should().StartWith("$", because);
            problem.Message.Should().NotBeNullOrWhiteSpace(because);
            problem.ToString().Should().StartWith($"{path}: {problem.JsonPath}: ", because);
        }
    }

    private static string[] Keys(string json) =>
        [.. PropertyName().Matches(json).Select(m => m.Groups["name"].Value).Distinct(StringComparer.Ordinal)];

    private static string Excerpt(string text) => text.Length <= 300 ? text : text[..300] + $"… ({text.Length} chars)";

    [GeneratedRegex("\"(?<name>[a-z_0-9]+)\"\\s*:")]
    private static partial Regex PropertyName();
}
