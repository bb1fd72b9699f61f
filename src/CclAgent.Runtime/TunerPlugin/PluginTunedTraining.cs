using CclAgent.Nccl.Collectives;
using CclAgent.Nccl.Parameters;
using CclAgent.Nccl.Tuner;
using CclAgent.Simulation;
using CclAgent.Simulation.Truth;

namespace CclAgent.Runtime.TunerPlugin;

/// <summary>
/// A training job on the simulated cluster whose NCCL asks a real tuner plugin about every collective call, as NCCL's
/// enqueue path does: one context per communicator shape, one getCollInfo per call with the cost table the simulator's
/// cost model gives NCCL, and the iteration timed with what the answers make NCCL run. Without a plugin NCCL's own
/// choices stand. The NCCL_* environment is fixed for the job's lifetime, as NCCL reads it once at init.
/// </summary>
public sealed class PluginTunedTraining : IDisposable
{
    private readonly SimulatedCluster _cluster;
    private readonly NcclConfig _environment;
    private readonly List<Collective> _collectives;
    private readonly List<TunerPluginContext> _contexts = [];

    public PluginTunedTraining(SimulatedCluster cluster, NcclConfig environment, TunerPluginLibrary? plugin)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(environment);
        _cluster = cluster;
        _environment = environment.WithoutChoices();
        var contexts = new Dictionary<(int Nodes, int Ranks), TunerPluginContext>();
        var tables = new Dictionary<TunerKey, float[]>();
        _collectives = [];
        foreach ((CollectiveCall call, TunerKey key, int count) in cluster.IterationCalls)
        {
            // NCCL recomputes the table per call, but for a fixed environment its values never change: one per key.
            if (!tables.TryGetValue(key, out float[]? table))
            {
                table = cluster.Selector.CostTable(call, _environment);
                tables[key] = table;
            }

            TunerPluginContext? context = plugin is null ? null : ContextFor(plugin, key, contexts);
            TunerCostTable.TryPick(table, out NcclAlgorithm algorithm, out NcclProtocol protocol);
            _collectives.Add(new Collective(call, key, count, table, context, algorithm, protocol));
        }
    }

    /// <summary>Collective calls per iteration (each distinct collective times its count).</summary>
    public int CallsPerIteration => _collectives.Sum(c => c.Count);

    /// <summary>Asks the plugin about every call of one iteration, then times the iteration with the answers (noise included).</summary>
    public PluginTrainingIteration RunIteration()
    {
        var answers = new Dictionary<TunerKey, List<TunerChoice?>>();
        int pluginCalls = 0;
        foreach (Collective collective in _collectives)
        {
            if (collective.Context is null)
            {
                continue;
            }

            List<TunerChoice?> keyAnswers = answers.TryGetValue(collective.Key, out List<TunerChoice?>? list) ? list : answers[collective.Key] = [];
            for (int i = 0; i < collective.Count; i++)
            {
                TunerPluginAnswer answer = collective.Context.GetCollInfo(collective.Call.Op, collective.Call.Bytes, collective.Table);
                pluginCalls++;
                if (answer.Status == TunerPluginStatus.NoAlgorithm)
                {
                    return new PluginTrainingIteration(NoAlgorithm(collective.Call), 0, pluginCalls, 0);
                }

                keyAnswers.Add(ChoiceOf(collective, answer));
            }
        }

        NcclConfig config = _environment;
        foreach ((TunerKey key, List<TunerChoice?> keyAnswers) in answers)
        {
            config = config.WithChoice(key, Majority(keyAnswers));
        }

        TrialSamples samples = _cluster.Measure(config, 1);
        return samples.Outcome.IsOk
            ? new PluginTrainingIteration(Outcome.Ok, samples.IterationMs[0], pluginCalls, config.Choices.Count)
            : new PluginTrainingIteration(samples.Outcome, 0, pluginCalls, config.Choices.Count);
    }

    public void Dispose()
    {
        foreach (TunerPluginContext context in _contexts)
        {
            context.Dispose();
        }
    }

    /// <summary>A per-collective choice only where the plugin changed something: another cell than NCCL's, or a channel cap.</summary>
    private static TunerChoice? ChoiceOf(Collective collective, TunerPluginAnswer answer) =>
        answer.Status == TunerPluginStatus.Answered
        && (answer.Algorithm != collective.NcclAlgorithm || answer.Protocol != collective.NcclProtocol || answer.Channels != TunerChoice.NcclChannels)
            ? answer.ToChoice()
            : null;

    /// <summary>
    /// The choice most of a key's calls got; calls of one key can disagree when the plugin reloads its table mid-iteration.
    /// A tie goes to the answer given last, the newer table's.
    /// </summary>
    private static TunerChoice? Majority(List<TunerChoice?> answers) =>
        answers.Select((choice, index) => (choice, index))
            .GroupBy(a => a.choice)
            .MaxBy(g => (g.Count(), g.Max(a => a.index)))!
            .Key;

    /// <summary>What NCCL prints when every cell of a call's table is ignored (enqueue.cc topoGetAlgoInfo).</summary>
    private static Outcome NoAlgorithm(CollectiveCall call) =>
        new(OutcomeKind.InitError, $"NCCL WARN Error : no algorithm/protocol available for function {call.Op}", "no-algorithm");

    private TunerPluginContext ContextFor(TunerPluginLibrary plugin, TunerKey key, Dictionary<(int Nodes, int Ranks), TunerPluginContext> contexts)
    {
        if (!contexts.TryGetValue((key.Nodes, key.Ranks), out TunerPluginContext? context))
        {
            context = plugin.CreateContext(new TunerPluginCommunicator(key.Nodes, key.Ranks) { Constants = NcclTunerConstants.FromCostModel() });
            contexts[(key.Nodes, key.Ranks)] = context;
            _contexts.Add(context);
        }

        return context;
    }

    private sealed record Collective(CollectiveCall Call, TunerKey Key, int Count, float[] Table, TunerPluginContext? Context, NcclAlgorithm NcclAlgorithm, NcclProtocol NcclProtocol);
}
