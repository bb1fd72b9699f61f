using System.Globalization;
using CclAgent.Core.Context;
using CclAgent.Core.Workloads;
using CclAgent.Testing;
using CclAgent.Tuning.Offline;
using Xunit.Abstractions;

namespace CclAgent.Tuning.Tests.Context;

/// <summary>Similarity of the shipped workloads' context signatures, mix included.</summary>
public sealed class ContextMixSimilarityTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Two_models_with_different_parallelism_on_the_same_cluster_are_not_similar_enough_to_warm_start()
    {
        ContextFeatures yi = ContextSignatureBuilder.From(await TuningHarness.LoadShippedAsync("autoccl-a40-4x8-yi34b"));
        ContextFeatures llama = ContextSignatureBuilder.From(await TuningHarness.LoadShippedAsync("autoccl-a40-4x8-llama3-8b"));

        yi.Similarity(llama).Should().BeLessThan(0.85, "TP-only yi34b and TP+DP llama3-8b put their bytes on different communicators");
    }

    [Fact]
    public async Task The_same_job_with_larger_messages_and_another_model_name_is_still_similar()
    {
        foreach (string file in ShippedFiles())
        {
            WorkloadSpec spec = await TuningHarness.LoadAsync(file);
            WorkloadSpec variant = spec with
            {
                Model = (spec.Model ?? new ModelSpec()) with { Name = (spec.Model?.Name ?? "model") + "-variant" },
                Iteration = spec.Iteration! with
                {
                    ComputeMs = spec.Iteration.ComputeMs * 1.2,
                    Collectives = spec.Iteration.Collectives!.Select(c => c with { Bytes = (long)(c.Bytes!.Value * 1.5) }).ToList(),
                },
            };

            ContextSignatureBuilder.From(spec).Similarity(ContextSignatureBuilder.From(variant)).Should().BeGreaterThan(0.9, Path.GetFileName(file));
        }
    }

    [Fact]
    public async Task A_context_stored_without_a_mix_never_reaches_the_warm_start_threshold()
    {
        ContextFeatures llama = ContextSignatureBuilder.From(await TuningHarness.LoadShippedAsync("autoccl-a40-4x8-llama3-8b"));

        llama.Similarity(llama with { Mix = null }).Should().Be(ContextFeatures.UnknownMixCap);
        (llama with { Mix = null }).Similarity(llama).Should().Be(ContextFeatures.UnknownMixCap);
    }

    [Fact]
    public async Task Similarity_of_every_shipped_pair_is_symmetric_and_printed()
    {
        var contexts = new List<(string Name, ContextFeatures Features)>();
        foreach (string file in ShippedFiles())
        {
            contexts.Add((Path.GetFileNameWithoutExtension(file), ContextSignatureBuilder.From(await TuningHarness.LoadAsync(file))));
        }

        foreach ((string name, ContextFeatures a) in contexts)
        {
            output.WriteLine(name + ": " + string.Join(" ", contexts.Select(c => a.Similarity(c.Features).ToString("0.00", CultureInfo.InvariantCulture))));
            foreach ((_, ContextFeatures b) in contexts)
            {
                a.Similarity(b).Should().Be(b.Similarity(a));
            }
        }
    }

    private static IEnumerable<string> ShippedFiles() =>
        Directory.GetFiles(Path.Combine(RepoPaths.Root, "workload", "sim"), "*.json").Order(StringComparer.Ordinal);
}
