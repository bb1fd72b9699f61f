using CclAgent.Watch.Analysis;
using CclAgent.Watch.Records;
using Microsoft.Extensions.Time.Testing;

namespace CclAgent.Watch.Tests.Support;

/// <summary>A WatchEngine on a fake clock with a list sink; <see cref="Line"/> numbers records in order.</summary>
internal sealed class EngineHarness
{
    public EngineHarness(WatchSettings? settings = null)
    {
        Engine = new WatchEngine(settings ?? new WatchSettings(), Time, Sink);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public ListSink Sink { get; } = new();

    public WatchEngine Engine { get; }

    public long Line { get; private set; }

    public TrainingPhase Phase => Engine.Phase;

    /// <summary>Feeds <paramref name="count"/> training records whose loss (and lr) are functions of the record index.</summary>
    public void Feed(int count, Func<int, double> loss, Func<int, double>? lr = null, Func<int, MetricRecord, MetricRecord>? edit = null)
    {
        for (int i = 0; i < count; i++)
        {
            MetricRecord record = TestRecords.Train(++Line, loss(i), lr?.Invoke(i) ?? 1e-3);
            Engine.OnRecord(edit is null ? record : edit(i, record));
        }
    }

    public void Eval(string name, double value) => Engine.OnRecord(TestRecords.Eval(++Line, name, value));
}
