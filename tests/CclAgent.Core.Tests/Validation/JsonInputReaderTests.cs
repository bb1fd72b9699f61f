using CclAgent.Core.Json;
using CclAgent.Core.Tests.Support;
using CclAgent.Core.Validation;
using CclAgent.Core.Workloads;
using CclAgent.Testing;

namespace CclAgent.Core.Tests.Validation;

public sealed class JsonInputReaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static InputProblem SingleProblem(string json)
    {
        LoadResult<WorkloadSpec> result = JsonInputReader.Parse("w.json", json, CoreJsonContext.Default.WorkloadSpec);
        Assert.Null(result.Value);
        Assert.False(result.IsValid);
        return Assert.Single(result.Problems);
    }

    [Fact]
    public void Valid_json_parses_into_the_typed_value()
    {
        LoadResult<WorkloadSpec> result = JsonInputReader.Parse("w.json", SampleWorkloads.ValidJson, CoreJsonContext.Default.WorkloadSpec);

        Assert.True(result.IsValid);
        Assert.Equal(400, result.Value!.Cluster!.Network!.NicGbps);
        Assert.Equal(2, result.Value.Iteration!.Collectives!.Count);
    }

    [Fact]
    public void Unknown_top_level_field_is_named_with_its_path()
    {
        InputProblem problem = SingleProblem("""{"name":"x","clusterr":{}}""");

        Assert.Equal("w.json", problem.File);
        Assert.Equal("$.clusterr", problem.JsonPath);
        Assert.Contains("unknown field 'clusterr'", problem.Message);
    }

    [Fact]
    public void Unknown_nested_field_is_named_with_its_full_path()
    {
        InputProblem problem = SingleProblem("""{"cluster":{"network":{"nic_gbs":100}}}""");

        Assert.Equal("$.cluster.network.nic_gbs", problem.JsonPath);
        Assert.Contains("unknown field 'nic_gbs'", problem.Message);
    }

    [Fact]
    public void String_where_an_integer_belongs_is_a_wrong_type_expecting_an_integer()
    {
        InputProblem problem = SingleProblem("""{"cluster":{"nodes":"four"}}""");

        Assert.Equal("$.cluster.nodes", problem.JsonPath);
        Assert.Contains("wrong type", problem.Message);
        Assert.Contains("expected an integer", problem.Message);
    }

    [Fact]
    public void Wrong_type_inside_an_array_names_the_element_index()
    {
        InputProblem problem = SingleProblem("""{"iteration":{"collectives":[{"op":"all_reduce"},{"bytes":"big"}]}}""");

        Assert.Equal("$.iteration.collectives[1].bytes", problem.JsonPath);
        Assert.Contains("expected an integer", problem.Message);
    }

    [Theory]
    [InlineData("""{"name":5}""", "$.name", "a string")]
    [InlineData("""{"cluster":{"nic":1,"gpu_memory_gib":"lots"}}""", "$.cluster.nic", "unknown field")]
    [InlineData("""{"cluster":{"gpu_memory_gib":"lots"}}""", "$.cluster.gpu_memory_gib", "a number")]
    [InlineData("""{"cluster":{"acs_enabled":"yes"}}""", "$.cluster.acs_enabled", "true or false")]
    [InlineData("""{"cluster":7}""", "$.cluster", "an object")]
    [InlineData("""{"iteration":{"collectives":{}}}""", "$.iteration.collectives", "an array")]
    [InlineData("""{"env":[]}""", "$.env", "an object of name/value pairs")]
    [InlineData("""{"command":"torchrun train.py"}""", "$.command", "an array")]
    public void Wrong_types_say_what_was_expected(string json, string path, string expected)
    {
        InputProblem problem = SingleProblem(json);

        Assert.Equal(path, problem.JsonPath);
        Assert.Contains(expected, problem.Message);
    }

    [Fact]
    public void Malformed_json_names_the_line_and_the_reader_reason()
    {
        InputProblem problem = SingleProblem("{\n  \"name\": \"x\",\n  \"cluster\": {\n    \"nodes\": four\n  }\n}");

        Assert.Equal("$.cluster.nodes", problem.JsonPath);
        Assert.StartsWith("malformed JSON (line 4): ", problem.Message);
        Assert.DoesNotContain("LineNumber", problem.Message);
    }

    [Fact]
    public void Truncated_json_is_malformed_not_an_exception()
    {
        InputProblem problem = SingleProblem("""{"name": "x", "cluster": {""");

        Assert.StartsWith("malformed JSON", problem.Message);
    }

    [Fact]
    public void Empty_input_is_malformed_at_the_root()
    {
        InputProblem problem = SingleProblem(string.Empty);

        Assert.Equal("$", problem.JsonPath);
        Assert.StartsWith("malformed JSON", problem.Message);
    }

    [Fact]
    public void Null_document_says_an_object_was_expected()
    {
        InputProblem problem = SingleProblem("null");

        Assert.Equal("$", problem.JsonPath);
        Assert.Contains("expected a JSON object", problem.Message);
    }

    [Fact]
    public void Comments_and_trailing_commas_are_accepted()
    {
        LoadResult<WorkloadSpec> result = JsonInputReader.Parse("w.json", "{ // a workload\n \"name\": \"x\", }", CoreJsonContext.Default.WorkloadSpec);

        Assert.True(result.IsValid);
    }

    [Fact]
    public async Task Missing_file_is_a_problem_naming_the_file()
    {
        string path = _dir.File("absent.json");

        LoadResult<WorkloadSpec> result = await JsonInputReader.ReadAsync(path, CoreJsonContext.Default.WorkloadSpec, CancellationToken.None);

        InputProblem problem = Assert.Single(result.Problems);
        Assert.Equal(path, problem.File);
        Assert.Equal("$", problem.JsonPath);
        Assert.Contains("file not found", problem.Message);
    }

    [Fact]
    public async Task Problems_render_as_one_line_with_file_path_and_expectation()
    {
        string path = _dir.Write("w.json", """{"cluster":{"nodes":"four"}}""");

        LoadResult<WorkloadSpec> result = await JsonInputReader.ReadAsync(path, CoreJsonContext.Default.WorkloadSpec, CancellationToken.None);

        string line = Assert.Single(result.Problems).ToString();
        Assert.StartsWith($"{path}: $.cluster.nodes: wrong type", line);
        Assert.EndsWith("expected an integer", line);
        Assert.DoesNotContain('\n', line);
    }
}
