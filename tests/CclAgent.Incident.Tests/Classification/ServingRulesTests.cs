using System.Text.Json.Nodes;
using CclAgent.Diagnosis.Classification;
using CclAgent.Incident.Classification;
using CclAgent.Incident.Signals;

namespace CclAgent.Incident.Tests.Classification;

public sealed class ServingRulesTests
{
    private static Observations Service(params string[] lines)
    {
        var o = new Observations();
        var array = new JsonArray();
        for (int i = 0; i < lines.Length; i++)
        {
            array.Add(new JsonObject { ["line"] = i + 1, ["text"] = lines[i] });
        }

        o.AddLines(array, "logs/service.log", system: false);
        return o;
    }

    private static IncidentDiagnosis Timeout() => new() { Category = FailureCategory.NcclTimeout, RootCause = "collective timed out", Confidence = 0.7, Evidence = [] };

    [Fact]
    public void A_collective_timeout_names_the_jobs_last_own_line_before_the_stall_and_skips_masked_lines()
    {
        Observations o = Service(
            "INFO: Saving checkpoint. This may take some time.",
            "db connection: password=***",
            "[rank0]:[E227 23:07:54 ProcessGroupNCCL.cpp:629] [Rank 0] Watchdog caught collective operation timeout: WorkNCCL(SeqNum=5, OpType=ALLREDUCE, Timeout(ms)=1800000) ran for 1800034 milliseconds before timing out.");

        IncidentDiagnosis d = ServingRules.WithLastActivity(Timeout(), o);

        d.RootCause.Should().Contain("Saving checkpoint");
        d.Evidence.Should().ContainSingle(e => e.Line == 1);
    }

    [Fact]
    public void A_timeout_that_is_the_first_line_gets_no_activity_line()
    {
        Observations o = Service("[Rank 0] Watchdog caught collective operation timeout: WorkNCCL(SeqNum=5, OpType=ALLREDUCE, Timeout(ms)=600000) ran for 600060 milliseconds before timing out.");

        ServingRules.WithLastActivity(Timeout(), o).RootCause.Should().Be("collective timed out");
    }

    [Fact]
    public void A_device_plugin_xid_is_classified_from_the_xid_catalog()
    {
        Observations o = Service("I0809 13:32:51 health.go:185] XidCriticalError: Xid=94 on Device=GPU-3b6ec030; marking device as unhealthy.");

        IncidentDiagnosis? d = ServingRules.ReportedXid(o);

        d!.Category.Should().Be(FailureCategory.EccUncorrectable);
        d.RootCause.Should().Contain("Xid 94").And.Contain("GPU-3b6ec030");
    }
}
