using CclAgent.Diagnosis.Classification;
using CclAgent.Diagnosis.Reports;

namespace CclAgent.Diagnosis.Tests;

/// <summary>
/// NCCL picking an interface other nodes cannot reach (a container bridge, loopback, a name that resolves to nothing):
/// bootstrap_interface, with the interfaces seen named and NCCL_SOCKET_IFNAME / host networking as the fix.
/// </summary>
public sealed class InterfaceSelectionTests
{
    // https://github.com/NVIDIA/nccl/issues/331: two containers on Docker's bridge network (no --network host); the
    // master's log, and the worker's failed connect to the master's bridge address.
    private const string BridgeMaster = """
        e82c50601d13:213:213 [0] include/socket.h:197 NCCL WARN Net : No interface found in the same subnet as remote address 192.168.0.91<27030>
        e82c50601d13:213:213 [0] NCCL INFO Bootstrap : Using [0]eth0:172.17.0.3<0>
        e82c50601d13:213:213 [0] NCCL INFO NET/Plugin : No plugin found (libnccl-net.so).
        e82c50601d13:213:213 [0] NCCL INFO NCCL_IB_DISABLE set by environment to 1.
        e82c50601d13:213:213 [0] NCCL INFO NET/Socket : Using [0]eth0:172.17.0.3<0>
        e82c50601d13:213:213 [0] include/socket.h:333 NCCL WARN Call to bind failed : Cannot assign requested address
        """;

    private const string BridgeWorker = """
        71d46aa8dab5:5241:5262 [2] NCCL INFO Call to connect returned Connection refused, retrying
        71d46aa8dab5:5241:5262 [2] include/socket.h:390 NCCL WARN Connect to 172.17.0.3<37551> failed : Connection refused
        71d46aa8dab5:5241:5262 [2] NCCL INFO bootstrap.cc:100 -> 2
        """;

    [Fact]
    public void Containers_on_the_bridge_network_are_a_bootstrap_interface_fault_fixed_by_host_networking()
    {
        DiagnosisReport report = Given.Diagnose(("ca.log", BridgeMaster), ("cb.log", BridgeWorker));

        report.Verdict.Category.Should().Be(FailureCategory.BootstrapInterface);
        report.Recommendations[0].Priority.Should().Be("CRITICAL");
        report.Recommendations[0].Action.Should().Contain("--network host").And.Contain("eth0:172.17.0.3");
        report.Recommendations.Should().Contain(r => r.Env != null && r.Env.StartsWith("NCCL_SOCKET_IFNAME=", StringComparison.Ordinal));
    }

    [Fact]
    public void A_failed_connect_to_a_bridge_address_is_not_a_plain_socket_error()
    {
        // https://github.com/NVIDIA/nccl/issues/929: NCCL in Docker under WSL connecting to the other container's bridge address.
        const string line = "e57377aacbb6:1203:1227 [0] misc/socket.cc:480 NCCL WARN socketStartConnect: Connect to 172.17.0.2<38847> failed : Software caused connection abort";

        DiagnosisReport report = Given.Diagnose(line);

        report.Verdict.Category.Should().Be(FailureCategory.BootstrapInterface);
        report.Evidence[0].Signal.Should().Be("nccl_connect_bridge_address");
        report.Verdict.RootCause.Should().Contain("172.17.0.2<38847>");
        report.Recommendations[0].Action.Should().Contain("172.17.0.2<38847>").And.Contain("--network host");
    }

    [Fact]
    public void A_connect_failure_to_a_routable_address_stays_a_socket_error()
    {
        // NVIDIA/nccl-tests#166 (in LogExcerpts): the same failure to a routable address is the network's.
        DiagnosisReport report = Given.Diagnose(LogExcerpts.SocketAbort);

        report.Verdict.Category.Should().Be(FailureCategory.SocketNetworkError);
    }

    [Fact]
    public void No_socket_interface_after_pytorchs_last_error_is_a_bootstrap_interface_fault()
    {
        // https://github.com/EasonXiao-888/MambaTree/issues/14
        const string log = """
            RuntimeError: NCCL error in: ../torch/csrc/distributed/c10d/ProcessGroupNCCL.cpp:1201, internal error, NCCL version 2.14.3
            ncclInternalError: Internal check failed.
            Last error:
            Bootstrap : no socket interface found
            """;

        DiagnosisReport report = Given.Diagnose(log);

        report.Verdict.Category.Should().Be(FailureCategory.BootstrapInterface);
        report.Recommendations.Should().Contain(r => r.Env == "NCCL_SOCKET_IFNAME=<the real NIC>");
    }

    [Fact]
    public void An_ifname_that_resolves_to_no_address_names_the_setting()
    {
        // https://github.com/NVIDIA/nccl/issues/1837: NCCL_SOCKET_IFNAME=eth2 on nodes without eth2.
        const string log = """
            [trainer3]:twshared1016:1958:1958 [3] NCCL INFO NCCL_SOCKET_IFNAME set by environment to eth2
            [trainer3]:twshared1016:1958:1958 [3] NCCL INFO NCCL_SOCKET_IFNAME set to eth2
            [trainer0|0]:ncclInternalError: Internal check failed.
            [trainer0|0]:Last error:
            [trainer0|0]:ncclSocketInit: connecting to address  with family 59936 is neither AF_INET(2) nor AF_INET6(10)
            """;

        DiagnosisReport report = Given.Diagnose(log);

        report.Verdict.Category.Should().Be(FailureCategory.BootstrapInterface);
        report.Verdict.RootCause.Should().Contain("NCCL_SOCKET_IFNAME=eth2");
        report.Recommendations.Should().Contain(r => r.Env != null && r.Env.StartsWith("NCCL_SOCKET_IFNAME=", StringComparison.Ordinal) && r.Detail!.Contains("eth2"));
    }

    [Fact]
    public void A_hang_while_nccl_talks_over_a_bridge_address_is_blamed_on_the_interface()
    {
        // Constructed: the bridge-network Using lines of https://github.com/NVIDIA/nccl/issues/331, then the watchdog
        // timeout of hiyouga/LlamaFactory#7396 (LogExcerpts.Watchdog) and no other error.
        string log = "e82c50601d13:213:213 [0] NCCL INFO Bootstrap : Using [0]eth0:172.17.0.3<0>\ne82c50601d13:213:213 [0] NCCL INFO NET/Socket : Using [0]eth0:172.17.0.3<0>\n"
            + Given.Training(5) + "\n" + LogExcerpts.Watchdog;

        DiagnosisReport report = Given.Diagnose(log);

        report.Verdict.Category.Should().Be(FailureCategory.BootstrapInterface);
        report.Candidates.Should().Contain(c => c.Category == FailureCategory.NcclTimeout);
    }

    [Fact]
    public void A_hang_on_p2p_inside_one_node_stays_a_p2p_hang_even_on_a_bridge_network()
    {
        // Constructed as above, with NCCL using only P2P inside the node (LogExcerpts.P2pChannel): the bridge is not in the path.
        string log = "e82c50601d13:213:213 [0] NCCL INFO Bootstrap : Using [0]eth0:172.17.0.3<0>\n" + LogExcerpts.P2pChannel + "\n" + Given.Training(5) + "\n" + LogExcerpts.Watchdog;

        DiagnosisReport report = Given.Diagnose(log);

        report.Verdict.Category.Should().Be(FailureCategory.P2pHang);
    }

    [Fact]
    public void No_usable_interface_under_a_container_id_host_name_recommends_host_networking()
    {
        // https://github.com/NVIDIA/nccl-tests/issues/14: nccl-tests in a Docker container (host e66aa18dc444).
        const string log = """
            NCCL failure common.cu:874 'unhandled system error'
            e66aa18dc444:3171:3171 [0] include/socket.h:311 WARN Socket creation failed : Address family not supported by protocol
            """;

        DiagnosisReport report = Given.Diagnose(log);

        report.Verdict.Category.Should().Be(FailureCategory.BootstrapInterface);
        report.Recommendations.Should().Contain(r => r.Priority == "HIGH" && r.Action.Contains("e66aa18dc444") && r.Action.Contains("--net host"));
    }
}
