using CclAgent.Core.Context;
using CclAgent.Core.Statistics;
using CclAgent.Core.Steps;
using CclAgent.Memory;
using CclAgent.Nccl.Parameters;
using Microsoft.ML;
using Microsoft.ML.Trainers.FastTree;

namespace CclAgent.Tuning.CrossRun;

/// <summary>
/// The cross-run surrogate: an ML.NET FastTree regression over every trial memory holds for similar
/// contexts, predicting log(trial time / baseline time) from context and configuration. Trained
/// post-run, saved beside the memory database, loaded by the next run as a prior for warm start and ranking.
/// </summary>
internal sealed class CrossRunModel
{
    private static readonly string[] FeatureNames =
    [
        "nodes", "gpus_per_node", "log2_nic_gbps", "nvswitch", "nvlink", "pcie", "network_kind", "generation", "dominant_size_log2", "dominant_op",
        "algo_default", "algo_ring", "algo_tree", "algo_nvls", "proto_default", "proto_ll", "proto_ll128", "proto_simple",
        "log2_nthreads", "log2_buffsize", "channels", "p2p_level", "net_gdr_level", "ib_qps", "socket_nthreads", "nsocks_perthread", "cross_nic",
    ];

    private readonly MLContext _ml;
    private readonly ITransformer _model;
    private readonly PredictionEngine<CrossRunRow, CrossRunPrediction> _engine;
    private readonly Lock _gate = new();

    private CrossRunModel(MLContext ml, ITransformer model, double holdoutRSquared)
    {
        _ml = ml;
        _model = model;
        HoldoutRSquared = holdoutRSquared;
        _engine = ml.Model.CreatePredictionEngine<CrossRunRow, CrossRunPrediction>(model);
    }

    public double HoldoutRSquared { get; }

    /// <summary>Trials from memory whose run context is at least this similar are used for training.</summary>
    public const double MinSimilarity = 0.5;

    /// <summary>Predicted log(time / baseline) of a configuration in a context.</summary>
    public double PredictRelativeLog(ContextFeatures context, NcclConfig config)
    {
        lock (_gate)
        {
            return _engine.Predict(new CrossRunRow { Features = CrossRunFeatures.Encode(context, config) }).Score;
        }
    }

    /// <summary>Training examples from memory: ok trials of runs similar to <paramref name="context"/>, relative to each run's baseline.</summary>
    public static List<CrossRunExample> Examples(MemoryStore memory, ContextFeatures context)
    {
        var runs = memory.Runs().Where(r => r.Features.Similarity(context) >= MinSimilarity).ToDictionary(r => r.RunId, StringComparer.Ordinal);
        var examples = new List<CrossRunExample>();
        foreach (var group in memory.Trials().Where(t => runs.ContainsKey(t.RunId)).GroupBy(t => t.RunId))
        {
            TrialRecord? baseline = group.FirstOrDefault(t => t.Kind == StepKind.Baseline && t.IterationMs is double ms && MeasurementBounds.IsPlausibleIterationMs(ms));
            if (baseline is null)
            {
                continue;
            }

            foreach (TrialRecord trial in group.Where(t => t.Status == StepStatus.Ok && t.IterationMs is double ms && MeasurementBounds.IsPlausibleIterationMs(ms) && t.Kind != StepKind.Confirm))
            {
                examples.Add(new CrossRunExample(trial.RunId, runs[trial.RunId].Features, NcclConfig.FromAssignments(trial.Config),
                    Math.Log(trial.IterationMs!.Value / baseline.IterationMs!.Value)));
            }
        }

        return examples;
    }

    /// <summary>Trains on the examples (seeded, single-threaded: reproducible); returns null with a reason when there are too few.</summary>
    public static (CrossRunModel? Model, SurrogateTrainingReport Report) Train(IReadOnlyList<CrossRunExample> examples, int seed, string? savePath)
    {
        int runs = examples.Select(e => e.RunId).Distinct().Count();
        int contexts = examples.Select(e => e.Context.Signature).Distinct().Count();
        if (examples.Count < 20)
        {
            return (null, Report(examples.Count, runs, contexts, 0, 0, null, null, 0, null, $"only {examples.Count} trials from similar contexts; at least 20 are needed"));
        }

        var ml = new MLContext(seed);
        var rows = examples.Select(e => new CrossRunRow { Features = CrossRunFeatures.Encode(e.Context, e.Config), Label = (float)e.RelativeLog }).ToList();
        IDataView data = ml.Data.LoadFromEnumerable(rows);
        var split = ml.Data.TrainTestSplit(data, testFraction: 0.2, seed: seed);
        var trainer = ml.Regression.Trainers.FastTree(new FastTreeRegressionTrainer.Options
        {
            NumberOfLeaves = 8,
            NumberOfTrees = 100,
            MinimumExampleCountPerLeaf = 3,
            LearningRate = 0.1,
            NumberOfThreads = 1,
            FeatureColumnName = nameof(CrossRunRow.Features),
            LabelColumnName = nameof(CrossRunRow.Label),
        });

        var holdoutModel = trainer.Fit(split.TrainSet);
        var holdout = ml.Regression.Evaluate(holdoutModel.Transform(split.TestSet), nameof(CrossRunRow.Label));
        var model = trainer.Fit(data);
        var fit = ml.Regression.Evaluate(model.Transform(data), nameof(CrossRunRow.Label));
        int test = ml.Data.CreateEnumerable<CrossRunRow>(split.TestSet, reuseRowObject: false).Count();
        string? saved = savePath;
        string? saveProblem = null;
        if (savePath is not null && !TrySave(ml, model, data.Schema, savePath, out saveProblem))
        {
            saved = null;
        }

        double r2 = double.IsFinite(holdout.RSquared) ? holdout.RSquared : 0;
        return (new CrossRunModel(ml, model, r2),
            Report(examples.Count, runs, contexts, examples.Count - test, test, Round(holdout.RSquared), Round(holdout.MeanAbsoluteError), Round(fit.RSquared) ?? 0, saved, saveProblem));
    }

    /// <summary>The report of a training that threw: the run goes on, the previous model (if any) stays.</summary>
    public static SurrogateTrainingReport Failed(int samples, string reason) => Report(samples, 0, 0, 0, 0, null, null, 0, null, reason);

    /// <summary>
    /// Several runs share one memory, and so one model file: write a temp file beside it and rename it over
    /// the target, so a concurrent reader sees the old model or the new one, never half of one, and two
    /// writers never write the same file (the last rename wins). A failed save leaves the old model.
    /// </summary>
    private static bool TrySave(MLContext ml, ITransformer model, DataViewSchema schema, string savePath, out string? problem)
    {
        string full = Path.GetFullPath(savePath);
        string temp = $"{full}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            ml.Model.Save(model, schema, temp);
            File.Move(temp, full, overwrite: true);
            problem = null;
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problem = $"trained, but not saved to {full}: {ex.Message}";
            return false;
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    public static CrossRunModel? Load(string path, int seed)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var ml = new MLContext(seed);
        try
        {
            ITransformer model = ml.Model.Load(path, out _);
            return new CrossRunModel(ml, model, double.NaN);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or IOException or ArgumentException or UnauthorizedAccessException or System.IO.InvalidDataException or NotSupportedException)
        {
            // A stale, foreign, half-written (an older writer without the rename) or just-deleted file is no
            // reason to fail a tuning run: no prior, as for a first run.
            return null;
        }
    }

    private static SurrogateTrainingReport Report(int samples, int runs, int contexts, int train, int test, double? r2, double? mae, double fitR2, string? path, string? skipped) => new()
    {
        Trainer = "ML.NET FastTree regression (100 trees, 8 leaves, seed fixed, 1 thread)",
        Samples = samples,
        Runs = runs,
        Contexts = contexts,
        MinSimilarity = MinSimilarity,
        TrainSamples = train,
        HoldoutSamples = test,
        HoldoutRSquared = r2,
        HoldoutMeanAbsoluteError = mae,
        TrainRSquared = fitR2,
        Label = "log(trial iteration time / the same run's baseline iteration time)",
        Features = FeatureNames,
        ModelPath = path,
        SkippedReason = skipped,
    };

    private static double? Round(double value) => double.IsFinite(value) ? Math.Round(value, 4) : null;
}
