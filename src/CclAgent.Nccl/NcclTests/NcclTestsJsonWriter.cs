using System.Text.Json;

namespace CclAgent.Nccl.NcclTests;

/// <summary>
/// Writes a report as the documented JSON (docs/nccl-tests.md): exactly the keys
/// collectives[].{name, rows[].{size, count, type, redop, root, out_of_place, in_place}, avg_bus_bandwidth,
/// reported_avg_bus_bandwidth}, with null where the file has no such value. Written by hand rather than
/// serialized so the shape cannot drift with the model types.
/// </summary>
public static class NcclTestsJsonWriter
{
    public static void Write(NcclTestsReport report, Stream output)
    {
        ArgumentNullException.ThrowIfNull(report);
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteStartArray("collectives");
        foreach (NcclTestsCollective collective in report.Collectives)
        {
            json.WriteStartObject();
            WriteString(json, "name", collective.Name);
            json.WriteStartArray("rows");
            foreach (NcclTestsRow row in collective.Rows)
            {
                json.WriteStartObject();
                json.WriteNumber("size", row.Size);
                json.WriteNumber("count", row.Count);
                WriteString(json, "type", row.Type);
                WriteString(json, "redop", row.Redop);
                if (row.Root is int root)
                {
                    json.WriteNumber("root", root);
                }
                else
                {
                    json.WriteNull("root");
                }

                WriteMeasurement(json, "out_of_place", row.OutOfPlace);
                WriteMeasurement(json, "in_place", row.InPlace);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            WriteNumber(json, "avg_bus_bandwidth", collective.AvgBusBandwidth);
            WriteNumber(json, "reported_avg_bus_bandwidth", collective.ReportedAvgBusBandwidth);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteMeasurement(Utf8JsonWriter json, string name, NcclTestsMeasurement measurement)
    {
        json.WriteStartObject(name);
        WriteNumber(json, "time_us", measurement.TimeUs);
        WriteNumber(json, "algbw", measurement.AlgBw);
        WriteNumber(json, "busbw", measurement.BusBw);
        WriteNumber(json, "wrong", measurement.Wrong);
        json.WriteEndObject();
    }

    private static void WriteString(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    private static void WriteNumber(Utf8JsonWriter json, string name, double? value)
    {
        if (value is double number)
        {
            json.WriteNumber(name, number);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
