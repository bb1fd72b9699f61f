using CclAgent.Incident.Signals;

namespace CclAgent.Incident.Tests.Signals;

public sealed class KernelTaskSignalsTests
{
    private static KernelTaskSignals Read(params string[] lines)
    {
        var signals = new KernelTaskSignals();
        for (int i = 0; i < lines.Length; i++)
        {
            signals.Inspect(new SignalLine("logs/dmesg.log", i + 1, lines[i], i));
        }

        return signals;
    }

    [Fact]
    public void A_state_D_task_report_names_the_driver_module_its_call_trace_is_stuck_in()
    {
        KernelTaskSignals k = Read(
            "[  +0.000049] task:python3.11      state:D stack:    0 pid:15277 ppid: 15257 flags:0x00000002",
            "[  +0.000006] Call Trace:",
            "[  +0.000003]  <TASK>",
            "[  +0.000004]  __schedule+0x23d/0x590",
            "[  +0.000005]  uvm_page_tree_get_ptes_async+0x93/0x970 [nvidia_uvm]",
            "[  +0.000028]  uvm_ioctl+0x13e0/0x16f0 [nvidia_uvm]");

        k.StuckTasks.Should().ContainSingle();
        k.ModuleFrames.Select(f => f.Module).Should().Equal("nvidia_uvm");
        k.ModuleFrames[0].Line.Text.Should().Contain("uvm_page_tree_get_ptes_async");
    }

    [Fact]
    public void Module_names_outside_a_call_trace_are_not_frames()
    {
        KernelTaskSignals k = Read(
            "[Sun Dec 26 12:46:31 2021] Modules linked in: xt_comment ip_vs_rr [nvidia]",
            "[Sun Dec 26 12:46:31 2021] foo+0x1/0x2 [nvidia]");

        k.ModuleFrames.Should().BeEmpty();
    }
}
