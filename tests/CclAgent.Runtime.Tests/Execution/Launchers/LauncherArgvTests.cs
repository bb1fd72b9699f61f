using CclAgent.Core.Workloads;
using CclAgent.Runtime.Execution.Launchers;

namespace CclAgent.Runtime.Tests.Execution.Launchers;

/// <summary>The exact argv each launcher produces: what a user would otherwise have typed by hand.</summary>
public sealed class LauncherArgvTests
{
    private static readonly LaunchRequest Request = new(
        ["python3", "train.py", "--steps", "50"],
        ["NCCL_ALGO", "NCCL_PROTO", "CCL_AGENT_STEP"],
        "ccl-agent-run1-step3",
        "/runs/r1/steps/step_3");

    [Fact]
    public void Direct_runs_the_command_as_it_is()
    {
        LaunchPlan plan = LauncherFactory.Create(null, runningAsRoot: false, insideSlurmAllocation: false).Plan(Request);

        Assert.Equal(["python3", "train.py", "--steps", "50"], plan.Argv);
        Assert.Null(plan.Cleanup);
    }

    [Fact]
    public void Mpirun_sets_np_and_forwards_every_step_variable_with_x_by_name_only()
    {
        var spec = new LauncherSpec { Kind = "mpirun", Np = 4 };
        LaunchPlan plan = LauncherFactory.Create(spec, runningAsRoot: false, insideSlurmAllocation: false).Plan(Request);

        Assert.Equal(
            ["mpirun", "-np", "4", "-x", "NCCL_ALGO", "-x", "NCCL_PROTO", "-x", "CCL_AGENT_STEP", "python3", "train.py", "--steps", "50"],
            plan.Argv);
    }

    [Fact]
    public void Mpirun_as_root_adds_allow_run_as_root_and_hosts_and_extra_args_come_before_the_command()
    {
        var spec = new LauncherSpec
        {
            Kind = "mpirun", Program = "/opt/ompi/bin/mpirun", Np = 16, Hosts = ["node1:8", "node2:8"], Oversubscribe = true,
            ExtraArgs = ["--mca", "btl_tcp_if_include", "eth0"],
        };
        LaunchPlan plan = LauncherFactory.Create(spec, runningAsRoot: true, insideSlurmAllocation: false).Plan(Request with { ExportedVariables = ["NCCL_ALGO"] });

        Assert.Equal(
            ["/opt/ompi/bin/mpirun", "--allow-run-as-root", "--oversubscribe", "-np", "16", "--host", "node1:8,node2:8", "-x", "NCCL_ALGO", "--mca", "btl_tcp_if_include", "eth0", "python3", "train.py", "--steps", "50"],
            plan.Argv);
    }

    [Fact]
    public void Mpirun_run_as_root_can_be_switched_off_explicitly_and_a_hostfile_is_passed()
    {
        var spec = new LauncherSpec { Kind = "mpirun", Hostfile = "/etc/hosts.mpi", AllowRunAsRoot = false };
        LaunchPlan plan = LauncherFactory.Create(spec, runningAsRoot: true, insideSlurmAllocation: false).Plan(Request with { ExportedVariables = [] });

        Assert.Equal(["mpirun", "--hostfile", "/etc/hosts.mpi", "python3", "train.py", "--steps", "50"], plan.Argv);
    }

    [Fact]
    public void Torchrun_with_a_rendezvous_endpoint_uses_c10d_and_the_step_job_name_as_rdzv_id()
    {
        var spec = new LauncherSpec { Kind = "torchrun", Nnodes = 2, NprocPerNode = 8, RdzvEndpoint = "node001:29500" };
        LaunchPlan plan = LauncherFactory.Create(spec, runningAsRoot: false, insideSlurmAllocation: false).Plan(Request with { Command = ["train.py", "--lr", "3e-4"] });

        Assert.Equal(
            ["torchrun", "--nnodes=2", "--nproc-per-node=8", "--rdzv-backend=c10d", "--rdzv-endpoint=node001:29500", "--rdzv-id=ccl-agent-run1-step3", "--max-restarts=0", "train.py", "--lr", "3e-4"],
            plan.Argv);
    }

    [Fact]
    public void Torchrun_on_one_node_is_standalone_and_a_non_python_program_gets_no_python()
    {
        var spec = new LauncherSpec { Kind = "torchrun", NprocPerNode = 4, RdzvId = "nightly" };
        LaunchPlan plan = LauncherFactory.Create(spec, runningAsRoot: false, insideSlurmAllocation: false).Plan(Request with { Command = ["ccl-agent", "sim", "nccl-tests"] });

        Assert.Equal(["torchrun", "--nnodes=1", "--nproc-per-node=4", "--standalone", "--max-restarts=0", "--no-python", "ccl-agent", "sim", "nccl-tests"], plan.Argv);
    }

    [Fact]
    public void Srun_exports_the_environment_kills_on_bad_exit_and_outside_an_allocation_cancels_its_job_by_name()
    {
        var spec = new LauncherSpec { Kind = "srun", Nodes = 2, NtasksPerNode = 8, GpusPerNode = 8, Partition = "gpu", Account = "ml", TimeLimit = "00:30:00" };
        LaunchPlan plan = LauncherFactory.Create(spec, runningAsRoot: false, insideSlurmAllocation: false).Plan(Request);

        Assert.Equal(
            ["srun", "--job-name=ccl-agent-run1-step3", "--nodes=2", "--ntasks-per-node=8", "--gpus-per-node=8", "--partition=gpu", "--account=ml", "--time=00:30:00", "--export=ALL", "--kill-on-bad-exit=1", "python3", "train.py", "--steps", "50"],
            plan.Argv);
        Assert.Equal(["scancel", "--name=ccl-agent-run1-step3"], plan.Cleanup);
    }

    [Fact]
    public void Srun_inside_an_allocation_is_a_job_step_that_srun_itself_cancels()
    {
        var spec = new LauncherSpec { Kind = "srun", Np = 4 };
        LaunchPlan plan = LauncherFactory.Create(spec, runningAsRoot: false, insideSlurmAllocation: true).Plan(Request);

        Assert.Equal(["srun", "--job-name=ccl-agent-run1-step3", "--ntasks=4", "--export=ALL", "--kill-on-bad-exit=1", "python3", "train.py", "--steps", "50"], plan.Argv);
        Assert.Null(plan.Cleanup);
    }

    [Fact]
    public void Sbatch_waits_for_one_batch_job_per_step_with_output_files_and_a_wrapper_that_keeps_argv_intact()
    {
        var spec = new LauncherSpec { Kind = "sbatch", Nodes = 1, Np = 4, Partition = "debug" };
        LaunchPlan plan = LauncherFactory.Create(spec, runningAsRoot: true, insideSlurmAllocation: false).Plan(Request);

        Assert.Equal(
            ["sbatch", "--wait", "--parsable", "--job-name=ccl-agent-run1-step3", "--nodes=1", "--ntasks=4", "--partition=debug", "--export=ALL",
             "--output=/runs/r1/steps/step_3_slurm_stdout.log", "--error=/runs/r1/steps/step_3_slurm_stderr.log",
             "/runs/r1/steps/step_3_sbatch.sh", "python3", "train.py", "--steps", "50"],
            plan.Argv);
        Assert.Equal("/runs/r1/steps/step_3_slurm_stdout.log", plan.OutputFile);
        Assert.Equal("/runs/r1/steps/step_3_slurm_stderr.log", plan.ErrorFile);
        KeyValuePair<string, string> script = Assert.Single(plan.Files);
        Assert.Equal("/runs/r1/steps/step_3_sbatch.sh", script.Key);
        Assert.Contains("exec srun --export=ALL --kill-on-bad-exit=1 \"$@\"", script.Value, StringComparison.Ordinal);
        Assert.Equal(["scancel", "--name=ccl-agent-run1-step3"], plan.Cleanup);
    }

    [Fact]
    public void An_unknown_kind_is_refused_with_the_known_ones()
    {
        var error = Assert.Throws<ArgumentException>(() => LauncherFactory.Create(new LauncherSpec { Kind = "pdsh" }, false, false));
        Assert.Contains("mpirun", error.Message, StringComparison.Ordinal);
    }
}
