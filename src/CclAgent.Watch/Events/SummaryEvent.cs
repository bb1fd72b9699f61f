using CclAgent.Watch.Analysis;

namespace CclAgent.Watch.Events;

/// <summary>The last event: phases with their spans, the best metric and where, alerts raised, what was parsed.</summary>
public sealed record SummaryEvent : WatchEvent
{
    public override string Type => "summary";

    public required string Format { get; init; }

    public required long Lines { get; init; }

    public required long Records { get; init; }

    public required long ProgressLines { get; init; }

    public required long UnknownLines { get; init; }

    public required TrainingPhase FinalPhase { get; init; }

    public required IReadOnlyList<PhaseSpan> Phases { get; init; }

    public BestMetric? Best { get; init; }

    public double? FinalLossSmoothed { get; init; }

    public required IReadOnlyDictionary<string, int> Alerts { get; init; }

    public EtaEstimate? Eta { get; init; }

    public AdviceEvent? Advice { get; init; }

    public long Rotations { get; init; }
}
