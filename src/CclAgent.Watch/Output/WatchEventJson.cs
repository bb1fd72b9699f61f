using System.Buffers;
using System.Text;
using System.Text.Json;
using CclAgent.Watch.Analysis;
using CclAgent.Watch.Events;
using CclAgent.Watch.Records;

namespace CclAgent.Watch.Output;

/// <summary>
/// One JSON object per event, <c>type</c> first, snake_case fields, in the order docs/watch.md lists them. Written by
/// hand with <see cref="Utf8JsonWriter"/> so the field order is part of the contract; non-finite numbers become null
/// (JSON has no NaN).
/// </summary>
public static class WatchEventJson
{
    // Readable arrows and quotes in reasons; the output is a log stream, not HTML.
    private static readonly JsonWriterOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Serialize(WatchEvent watchEvent)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer, Options))
        {
            w.WriteStartObject();
            w.WriteString("type", watchEvent.Type);
            WriteBody(w, watchEvent);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteBody(Utf8JsonWriter w, WatchEvent e)
    {
        switch (e)
        {
            case PhaseChangeEvent p:
                w.WriteString("from", TrainingPhases.Name(p.From));
                w.WriteString("to", TrainingPhases.Name(p.To));
                Position(w, e);
                w.WriteString("reason", p.Reason);
                break;
            case AlertEvent a:
                w.WriteString("kind", a.Kind);
                w.WriteString("severity", a.Severity == AlertSeverity.Critical ? "critical" : "warning");
                Position(w, e);
                w.WriteString("message", a.Message);
                foreach (Metric detail in a.Details)
                {
                    Number(w, detail.Name, detail.Value);
                }

                break;
            case StatusEvent s:
                WriteStatus(w, s);
                break;
            case AdviceEvent v:
                WriteAdvice(w, v);
                break;
            case LogFileEvent f:
                w.WriteString("event", f.Event);
                w.WriteString("path", f.Path);
                Position(w, e);
                break;
            case SummaryEvent m:
                WriteSummary(w, m);
                break;
        }
    }

    private static void WriteStatus(Utf8JsonWriter w, StatusEvent s)
    {
        w.WriteString("phase", TrainingPhases.Name(s.Phase));
        Position(w, s);
        Number(w, "max_step", s.MaxStep);
        Number(w, "epoch", s.Epoch);
        Number(w, "loss", s.Loss);
        Number(w, "loss_smoothed", s.LossSmoothed);
        Number(w, "lr", s.LearningRate);
        Number(w, "grad_norm", s.GradNorm);
        Number(w, "seconds_per_iteration", s.SecondsPerIteration);
        Eta(w, s.Eta);
        Best(w, s.Best);
        w.WriteNumber("records", s.Records);
    }

    private static void WriteAdvice(Utf8JsonWriter w, AdviceEvent v)
    {
        w.WriteString("kind", v.Kind);
        Position(w, v);
        w.WriteString("metric", v.Metric);
        Number(w, "best", v.Best);
        w.WriteNumber("best_line", v.BestLine);
        Number(w, "best_step", v.BestStep);
        Number(w, "probability_of_improvement", Math.Round(v.ProbabilityOfImprovement, 4));
        Number(w, "min_delta", v.MinDelta);
        Number(w, "remaining_iterations", v.RemainingIterations);
        Number(w, "gpu_hours_saved", v.GpuHoursSaved is double h ? Math.Round(h, 3) : null);
        w.WriteString("checkpoint", v.Checkpoint);
        w.WriteString("message", v.Message);
    }

    private static void WriteSummary(Utf8JsonWriter w, SummaryEvent m)
    {
        Position(w, m);
        w.WriteString("format", m.Format);
        w.WriteNumber("lines", m.Lines);
        w.WriteNumber("records", m.Records);
        w.WriteNumber("progress_lines", m.ProgressLines);
        w.WriteNumber("unknown_lines", m.UnknownLines);
        w.WriteString("final_phase", TrainingPhases.Name(m.FinalPhase));
        w.WriteStartArray("phases");
        foreach (PhaseSpan span in m.Phases)
        {
            w.WriteStartObject();
            w.WriteString("phase", TrainingPhases.Name(span.Phase));
            w.WriteNumber("from_line", span.FromLine);
            w.WriteNumber("to_line", span.ToLine);
            Number(w, "from_step", span.FromStep);
            Number(w, "to_step", span.ToStep);
            w.WriteNumber("records", span.Records);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        Best(w, m.Best);
        Number(w, "final_loss_smoothed", m.FinalLossSmoothed);
        w.WriteStartObject("alerts");
        foreach ((string kind, int count) in m.Alerts)
        {
            w.WriteNumber(kind, count);
        }

        w.WriteEndObject();
        Eta(w, m.Eta);
        if (m.Advice is not null)
        {
            w.WriteStartObject("advice");
            WriteAdvice(w, m.Advice);
            w.WriteEndObject();
        }

        w.WriteNumber("rotations", m.Rotations);
    }

    private static void Position(Utf8JsonWriter w, WatchEvent e)
    {
        w.WriteNumber("line", e.Line);
        Number(w, "step", e.Step);
    }

    private static void Eta(Utf8JsonWriter w, EtaEstimate? eta)
    {
        Number(w, "eta_seconds", eta is null ? null : Math.Round(eta.Seconds));
        Number(w, "eta_low_seconds", eta is null ? null : Math.Round(eta.LowSeconds));
        Number(w, "eta_high_seconds", eta is null ? null : Math.Round(eta.HighSeconds));
        Number(w, "remaining_iterations", eta?.RemainingIterations);
    }

    private static void Best(Utf8JsonWriter w, BestMetric? best)
    {
        if (best is null)
        {
            w.WriteNull("best");
            return;
        }

        w.WriteStartObject("best");
        w.WriteString("metric", best.Name);
        Number(w, "value", best.Value);
        w.WriteString("direction", best.Direction == MetricDirection.LowerIsBetter ? "lower_is_better" : "higher_is_better");
        w.WriteNumber("line", best.Line);
        Number(w, "step", best.Step);
        Number(w, "epoch", best.Epoch);
        w.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter w, string name, double? value)
    {
        if (value is double v && double.IsFinite(v))
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static void Number(Utf8JsonWriter w, string name, long? value)
    {
        if (value is long v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
