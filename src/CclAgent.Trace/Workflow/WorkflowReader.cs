using System.Globalization;
using System.Text.Json;

namespace CclAgent.Trace.Workflow;

/// <summary>
/// Reads a workflow execution file (docs/trace.md): the execution, and in the same file under <c>definition</c> and
/// <c>baselines</c> (or in a separate baselines file) what was declared and what earlier runs did. Small files: read whole.
/// </summary>
internal static class WorkflowReader
{
    public static WorkflowExecution Read(string path, string? baselinePath)
    {
        using JsonDocument doc = Parse(path);
        JsonElement root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new TraceInputException($"{path}: $: expected a JSON object (a workflow execution)");
        }

        var ctx = new Ctx(path);
        var attempts = new List<StepAttempt>();
        JsonElement traces = ctx.Required(root, "traces", "$", JsonValueKind.Array);
        int i = 0;
        foreach (JsonElement t in traces.EnumerateArray())
        {
            attempts.Add(ReadAttempt(ctx, t, $"$.traces[{i++}]"));
        }

        Dictionary<string, StepDefinition> definition = root.TryGetProperty("definition", out JsonElement def)
            ? ReadDefinitions(ctx, def, "$.definition")
            : Beside(path, "definition") is string defPath ? ReadSidecar(defPath, (c, e) => ReadDefinitions(c, e, "$")) : new(StringComparer.Ordinal);

        Dictionary<string, StepBaseline> baselines = root.TryGetProperty("baselines", out JsonElement b)
            ? ReadBaselines(ctx, b, "$.baselines")
            : Beside(path, "baselines") is string basePath ? ReadSidecar(basePath, (c, e) => ReadBaselines(c, e, "$")) : new(StringComparer.Ordinal);
        if (baselinePath is not null)
        {
            baselines = Directory.Exists(baselinePath) ? BaselinesFrom(baselinePath) : ReadSidecar(baselinePath, (c, e) => ReadBaselines(c, e, "$"));
        }

        return new WorkflowExecution(
            ctx.String(root, "execution_id", "$"), ctx.String(root, "workflow_name", "$"),
            ctx.OptionalTime(root, "start_time", "$"), ctx.OptionalTime(root, "end_time", "$"),
            ctx.String(root, "status", "$"), attempts, definition, baselines);
    }

    /// <summary>
    /// A definition or baselines file beside the execution: <c>NAME.definition.json</c> for <c>NAME.json</c>, else
    /// <c>definition.json</c> in the same directory (likewise <c>baselines</c>).
    /// </summary>
    internal static string? Beside(string path, string kind)
    {
        string dir = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        string own = Path.Combine(dir, Path.GetFileNameWithoutExtension(path) + "." + kind + ".json");
        string shared = Path.Combine(dir, kind + ".json");
        return File.Exists(own) ? own : File.Exists(shared) && !SamePath(shared, path) ? shared : null;
    }

    /// <summary>A definition or baselines file, not an execution.</summary>
    internal static bool IsSidecar(string path)
    {
        string name = Path.GetFileName(path);
        return name is "definition.json" or "baselines.json" || name.EndsWith(".definition.json", StringComparison.Ordinal) || name.EndsWith(".baselines.json", StringComparison.Ordinal);
    }

    private static bool SamePath(string a, string b) => string.Equals(Path.GetFullPath(a), Path.GetFullPath(b), StringComparison.Ordinal);

    private static T ReadSidecar<T>(string path, Func<Ctx, JsonElement, T> read)
    {
        using JsonDocument doc = Parse(path);
        return read(new Ctx(path), doc.RootElement);
    }

    private static Dictionary<string, StepDefinition> ReadDefinitions(Ctx ctx, JsonElement def, string at)
    {
        JsonElement steps = ctx.Required(def, "steps", at, JsonValueKind.Object);
        var definition = new Dictionary<string, StepDefinition>(StringComparer.Ordinal);
        foreach (JsonProperty s in steps.EnumerateObject())
        {
            definition[s.Name] = ReadDefinition(ctx, s.Name, s.Value, $"{at}.steps.{s.Name}");
        }

        return definition;
    }

    /// <summary>
    /// <c>--baseline DIR</c>: its <c>baselines.json</c> if it has one, else baselines derived from the earlier workflow
    /// executions in it (every <c>.json</c> holding <c>traces</c>).
    /// </summary>
    private static Dictionary<string, StepBaseline> BaselinesFrom(string dir)
    {
        string file = Path.Combine(dir, "baselines.json");
        if (File.Exists(file))
        {
            return ReadSidecar(file, (c, e) => ReadBaselines(c, e, "$"));
        }

        var runs = Directory.EnumerateFiles(dir, "*.json").Order(StringComparer.Ordinal)
            .Where(f => !IsSidecar(f))
            .Select(f => Read(f, null))
            .ToList();
        return runs.Count > 0
            ? WorkflowBaselines.FromRuns(runs)
            : throw new TraceInputException($"{dir}: holds neither baselines.json nor earlier workflow executions; expected a baseline file or a directory of runs");
    }

    private static JsonDocument Parse(string path)
    {
        try
        {
            return JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (JsonException ex)
        {
            throw new TraceInputException($"{path}: invalid JSON at line {ex.LineNumber + 1}: expected a workflow execution document");
        }
    }

    private static StepAttempt ReadAttempt(Ctx ctx, JsonElement t, string at)
    {
        DateTimeOffset start = ctx.Time(t, "start_time", at);
        DateTimeOffset end = ctx.Time(t, "end_time", at);
        return new StepAttempt(
            ctx.String(t, "trace_id", at), ctx.String(t, "step_id", at), Ctx.OptionalString(t, "step_type") ?? "", start, end,
            ctx.String(t, "status", at), Keys(t, "input_data"), Keys(t, "output_data"), Numbers(t, "resource_usage"),
            Strings(ctx, t, "dependencies_failed", at));
    }

    private static StepDefinition ReadDefinition(Ctx ctx, string id, JsonElement s, string at)
    {
        double? expected = s.TryGetProperty("expected_duration", out JsonElement e) ? ctx.Number(e, at + ".expected_duration") : null;
        return new StepDefinition(id, Ctx.OptionalString(s, "type") ?? "", Strings(ctx, s, "dependencies", at), expected, Numbers(s, "resource_requirements"));
    }

    private static Dictionary<string, StepBaseline> ReadBaselines(Ctx ctx, JsonElement b, string at)
    {
        if (b.ValueKind != JsonValueKind.Object)
        {
            throw new TraceInputException($"{ctx.Path}: {at}: expected an object of step baselines");
        }

        var result = new Dictionary<string, StepBaseline>(StringComparer.Ordinal);
        foreach (JsonProperty p in b.EnumerateObject())
        {
            string here = $"{at}.{p.Name}";
            double? Get(string name) => p.Value.TryGetProperty(name, out JsonElement v) ? ctx.Number(v, $"{here}.{name}") : null;
            double? rate = Get("success_rate");
            if (rate is < 0 or > 1)
            {
                throw new TraceInputException($"{ctx.Path}: {here}.success_rate: {rate} is out of range; expected a fraction in [0, 1]");
            }

            result[p.Name] = new StepBaseline(Get("duration_p50"), Get("duration_p95"), rate);
        }

        return result;
    }

    private static List<string> Keys(JsonElement t, string name) =>
        t.TryGetProperty(name, out JsonElement o) && o.ValueKind == JsonValueKind.Object ? o.EnumerateObject().Select(p => p.Name).ToList() : [];

    private static Dictionary<string, double> Numbers(JsonElement t, string name) =>
        t.TryGetProperty(name, out JsonElement o) && o.ValueKind == JsonValueKind.Object
            ? o.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Number).ToDictionary(p => p.Name, p => p.Value.GetDouble(), StringComparer.Ordinal)
            : new(StringComparer.Ordinal);

    private static List<string> Strings(Ctx ctx, JsonElement t, string name, string at)
    {
        if (!t.TryGetProperty(name, out JsonElement a) || a.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (a.ValueKind != JsonValueKind.Array || a.EnumerateArray().Any(x => x.ValueKind != JsonValueKind.String))
        {
            throw new TraceInputException($"{ctx.Path}: {at}.{name}: expected an array of step ids (strings)");
        }

        return a.EnumerateArray().Select(x => x.GetString()!).ToList();
    }

    private sealed record Ctx(string Path)
    {
        public JsonElement Required(JsonElement o, string name, string at, JsonValueKind kind)
        {
            if (!o.TryGetProperty(name, out JsonElement v) || v.ValueKind != kind)
            {
                throw new TraceInputException($"{Path}: {at}.{name}: missing or not {(kind == JsonValueKind.Array ? "an array" : "an object")}");
            }

            return v;
        }

        public string String(JsonElement o, string name, string at) =>
            o.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String
                ? v.GetString()!
                : throw new TraceInputException($"{Path}: {at}.{name}: missing or not a string");

        public static string? OptionalString(JsonElement o, string name) =>
            o.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

        public DateTimeOffset Time(JsonElement o, string name, string at) =>
            OptionalTime(o, name, at) ?? throw new TraceInputException($"{Path}: {at}.{name}: missing; expected an ISO 8601 timestamp");

        public DateTimeOffset? OptionalTime(JsonElement o, string name, string at)
        {
            if (!o.TryGetProperty(name, out JsonElement v) || v.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            return v.ValueKind == JsonValueKind.String && DateTimeOffset.TryParse(v.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset t)
                ? t
                : throw new TraceInputException($"{Path}: {at}.{name}: expected an ISO 8601 timestamp");
        }

        public double Number(JsonElement v, string at) =>
            v.ValueKind == JsonValueKind.Number && v.GetDouble() >= 0
                ? v.GetDouble()
                : throw new TraceInputException($"{Path}: {at}: expected a non-negative number");
    }
}
