using System.CommandLine;
using System.Globalization;
using CclAgent.Core.Validation;
using CclAgent.Core.Workloads;
using CclAgent.Nccl.Compilation;
using CclAgent.Nccl.Parameters;
using CclAgent.Runtime.TunerPlugin;
using CclAgent.Simulation;

namespace CclAgent.Cli.Commands;

/// <summary>
/// `ccl-agent sim train`: one training job played on the simulated cluster, iteration after iteration, with NCCL asking
/// the real tuner plugin (NCCL_TUNER_PLUGIN) about every collective call, and a <c>CCL_METRICS</c> line per iteration
/// from rank 0. It is the dry run of in-job tuning and an end-to-end test of the plugin binary.
/// </summary>
internal sealed class SimTrainCommand : Command
{
    private static readonly HashSet<string> TunerPluginVariables = new(StringComparer.Ordinal) { "NCCL_TUNER_PLUGIN", "NCCL_TUNER_CONFIG_FILE" };

    private readonly Option<string> _workload = new("--workload") { Description = "Workload spec whose cluster ($.cluster, required) and per-iteration collectives are simulated.", Required = true };
    private readonly Option<int> _iterations = new("--iterations") { Description = "Training iterations to play (at least 1).", DefaultValueFactory = _ => 1000 };
    private readonly Option<int> _seed = new("--seed") { Description = "Seed of the run-to-run noise.", DefaultValueFactory = _ => 1 };
    private readonly Option<double> _timeScale = new("--time-scale") { Description = "Sleep each iteration's simulated time × this after it, so iterations arrive over time (0: no sleep).", DefaultValueFactory = _ => 1.0 };

    public SimTrainCommand()
        : base("train", "Play a training job on the simulator, asking the NCCL tuner plugin (NCCL_TUNER_PLUGIN) about every collective; one CCL_METRICS line per iteration.")
    {
        foreach (Option option in new Option[] { _workload, _iterations, _seed, _timeScale })
        {
            Options.Add(option);
        }

        SetAction((parse, ct) => ExecuteAsync(parse, ct));
    }

    private async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        TextWriter error = parse.InvocationConfiguration.Error;
        TextWriter output = parse.InvocationConfiguration.Output;
        int iterations = parse.GetValue(_iterations);
        double timeScale = parse.GetValue(_timeScale);
        string? problem = iterations < 1 ? $"--iterations: {iterations} is out of range; expected at least 1"
            : !(timeScale >= 0 && double.IsFinite(timeScale)) ? $"--time-scale: {timeScale.ToString(CultureInfo.InvariantCulture)} is out of range; expected a number ≥ 0"
            : null;
        if (problem is not null)
        {
            return await Problem(error, problem, ExitCodes.InvalidInput);
        }

        string workloadPath = parse.GetRequiredValue(_workload);
        LoadResult<WorkloadSpec> loaded = await WorkloadLoader.LoadAsync(workloadPath, cancellationToken);
        if (loaded.Value is not WorkloadSpec workload)
        {
            return await Problem(error, string.Join(Environment.NewLine + "error: ", loaded.Problems.Take(20).Select(p => p.ToString())), ExitCodes.InvalidInput);
        }

        if (workload.Cluster is null)
        {
            return await Problem(error, $"{workloadPath}: $.cluster: a simulated cluster is required", ExitCodes.InvalidInput);
        }

        // Init-time knobs, read once as NCCL reads them when the communicator is created.
        KeyValuePair<string, string?>[] variables = [.. Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .Select(e => new KeyValuePair<string, string?>((string)e.Key, e.Value as string))];
        NcclConfig environment = NcclEnvCompiler.FromEnvironment(variables);

        // The tuner plugin reads these itself; the simulator hands the plugin every collective call.
        foreach (UnreadVariable unread in UnreadNcclVariables.Of(variables, TunerPluginVariables))
        {
            await error.WriteLineAsync(unread.Warning);
        }

        var cluster = new SimulatedCluster(workload, new SimulationOptions { Seed = parse.GetValue(_seed) });
        TunerPluginLibrary? plugin;
        try
        {
            plugin = TunerPluginLibrary.FromVariable(Environment.GetEnvironmentVariable(TunerPluginResolver.Variable), error, Environment.GetEnvironmentVariable("NCCL_DEBUG"));
        }
        catch (TunerPluginLoadException ex)
        {
            return await Problem(error, ex.Message, ExitCodes.JobFailed);
        }

        using (plugin)
        {
            return await TrainAsync(cluster, environment, plugin, iterations, timeScale, output, error, cancellationToken);
        }
    }

    private static async Task<int> TrainAsync(SimulatedCluster cluster, NcclConfig environment, TunerPluginLibrary? plugin, int iterations, double timeScale,
        TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        PluginTunedTraining training;
        try
        {
            training = new PluginTunedTraining(cluster, environment, plugin);
        }
        catch (TunerPluginLoadException ex)
        {
            return await Problem(error, ex.Message, ExitCodes.JobFailed);
        }

        using (training)
        {
            int rank = Rank();
            string pluginText = plugin is null ? "none" : $"{plugin.Path} ({plugin.SymbolName})";
            await error.WriteLineAsync($"sim train: rank {rank} of {WorldSize()}, plugin {pluginText}, {training.CallsPerIteration} collectives per iteration");
            for (int i = 1; i <= iterations; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                PluginTrainingIteration iteration = training.RunIteration();
                if (!iteration.Outcome.IsOk)
                {
                    // A hang ends here too: the simulated job says what NCCL would print and fails, it does not block.
                    await error.WriteLineAsync(iteration.Outcome.Message ?? iteration.Outcome.Kind.ToString());
                    return ExitCodes.JobFailed;
                }

                // Under a launcher every rank does the work; only rank 0 reports, as training scripts do.
                if (rank == 0)
                {
                    await output.WriteLineAsync(MetricsLine(i, iteration));
                    await output.FlushAsync(cancellationToken);
                }

                if (timeScale > 0)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(iteration.IterationMs * timeScale), TimeProvider.System, cancellationToken);
                }
            }
        }

        return ExitCodes.Success;
    }

    private static string MetricsLine(int index, PluginTrainingIteration iteration) => string.Create(CultureInfo.InvariantCulture,
        $"CCL_METRICS {{\"iteration\": {index}, \"iteration_ms\": {iteration.IterationMs:F3}, \"plugin_calls\": {iteration.PluginCalls}, \"tuned_collectives\": {iteration.TunedCollectives}}}");

    // As SimNcclTestsCommand: MPI first, then torchrun's RANK/WORLD_SIZE (also set under srun), then Slurm's task ids.
    private static int Rank() => FirstInt("OMPI_COMM_WORLD_RANK", "PMI_RANK", "PMIX_RANK", "RANK", "SLURM_PROCID") ?? 0;

    private static int WorldSize() => FirstInt("OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE", "WORLD_SIZE", "SLURM_NTASKS") ?? 1;

    private static int? FirstInt(params string[] names)
    {
        foreach (string name in names)
        {
            if (int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value))
            {
                return value;
            }
        }

        return null;
    }

    private static async Task<int> Problem(TextWriter error, string problem, int exitCode)
    {
        await error.WriteLineAsync("error: " + problem);
        return exitCode;
    }
}
