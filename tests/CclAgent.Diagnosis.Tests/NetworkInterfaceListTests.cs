using CclAgent.Diagnosis.Matchers;
using CclAgent.Diagnosis.Reports;

namespace CclAgent.Diagnosis.Tests;

/// <summary>
/// NCCL names every interface it will use on one line (<c>NET/Socket : Using [0]eth0:… [1]ib0:…</c>); each entry counts,
/// so a bridge listed after the real NIC is seen and the real NIC is still named as the one to pin.
/// </summary>
public sealed class NetworkInterfaceListTests
{
    // https://github.com/NVIDIA/nccl-tests/issues/217 (the terminal's wrap inside the second address joined): a real NIC and
    // two Docker user-defined bridges on one line.
    private const string ThreeInterfaces = "NAME :69438:69444 [0] NCCL INFO NET/Socket : Using [0]enp3s0f0:10.50.56.33<0> [1]br-50a6a39f12ff:172.18.0.1<0> [2]br-93ef2f1539c5:172.25.0.1<0>";

    [Fact]
    public void Every_entry_after_net_socket_using_is_recorded_in_order()
    {
        var interfaces = new NetworkInterfaces();

        interfaces.Observe(ThreeInterfaces).Should().BeTrue();

        interfaces.Describe().Should().Be("enp3s0f0:10.50.56.33, br-50a6a39f12ff:172.18.0.1, br-93ef2f1539c5:172.25.0.1");
        interfaces.Unroutable.Should().Equal("br-50a6a39f12ff:172.18.0.1", "br-93ef2f1539c5:172.25.0.1");
        interfaces.RealNic.Should().Be("enp3s0f0");
    }

    [Fact]
    public void An_ipv6_entry_with_its_scope_after_the_first_is_recorded_too()
    {
        // The shape NCCL prints for an IPoIB interface with only a link-local address (NCCL's socket.cc: address%scope<port>).
        var interfaces = new NetworkInterfaces();

        interfaces.Observe("host:1:1 [0] NCCL INFO NET/Socket : Using [0]eth0:10.0.0.1<0> [1]ib0:fe80::a288:c2ff:fe0b:1234%ib0<0>").Should().BeTrue();

        interfaces.Describe().Should().Be("eth0:10.0.0.1, ib0:fe80::a288:c2ff:fe0b:1234%ib0");
        interfaces.Unroutable.Should().Equal("ib0:fe80::a288:c2ff:fe0b:1234%ib0");
        interfaces.RealNic.Should().Be("eth0");
    }

    [Fact]
    public void Each_bridge_on_the_line_is_its_own_evidence_item()
    {
        DiagnosisReport report = Given.Diagnose(ThreeInterfaces);

        report.Evidence.Where(e => e.Signal == "nccl_virtual_interface").Select(e => e.Facts["interface"])
            .Should().Equal("br-50a6a39f12ff:172.18.0.1", "br-93ef2f1539c5:172.25.0.1");
        report.Evidence.Should().OnlyContain(e => e.Facts.GetValueOrDefault("real_nic", "enp3s0f0") == "enp3s0f0");
    }
}
