namespace CclAgent.Diagnosis.Tests;

/// <summary>Log lines used verbatim; the public issue each real line comes from is listed in docs/diagnose.md ("Sources of the example lines").</summary>
internal static class LogExcerpts
{
    public const string IbNew = "mycl-g2:353236:353423 [6] transport/net_ib.cc:2244 NCCL WARN NET/IB: Got completion from peer 192.168.3.5<53908> with status=12 opcode=129 len=1048576 vendor err 129 (Recv) localGid ::ffff:192.168.6.3 remoteGids::ffff:192.168.6.5 hca mlx5_10";
    public const string IbOld = "NCCL WARN NET/IB : Got completion from peer 192.168.17.147<38560> with error 12, opcode 0, len 0, vendor err 129";
    public const string IbFlush = "hostname-test:984:1357 [4] ib_plugin.c:1615 NCCL WARN NET/IB : Got completion from peer 172.36.143.59<44206> with status=5 opcode=129 len=65536 vendor err 249 (Recv) localGid ::ffff:29.87.88.182 remoteGids::ffff:29.87.4.221";
    public const string SocketConnect = "node5:240:240 [6] misc/socket.cc:533 NCCL WARN socketPollConnect: Connect to 10.0.0.4<56849> returned 113(No route to host) errno 115(Operation now in progress)";
    public const string SocketAbort = "ubuntu:39964:40075 [0] misc/socket.cc:483 NCCL WARN socketStartConnect: Connect to 10.0.0.2<45763> failed : Software caused connection abort";
    public const string SocketClosed = "ubuntu:39964:40044 [0] misc/socket.cc:49 NCCL WARN socketProgress: Connection closed by remote peer node1<57557>";
    public const string Shm = "ubuntu:9621:9688 [3] misc/shmutils.cc:112 NCCL WARN Error while creating shared memory segment /dev/shm/nccl-KWfVyt (size 5967872)";
    public const string Bootstrap = "rcvlab-A6000x4-0:223645:223645 [0] bootstrap.cc:45 NCCL WARN Bootstrap : no socket interface found";
    public const string BootstrapIfname = "rcvlab-A6000x4-0:223645:223645 [0] NCCL INFO NCCL_SOCKET_IFNAME set by environment to eth0";
    public const string Watchdog = "[rank0]:[E321 02:07:08.408271257 ProcessGroupNCCL.cpp:607] [Rank 0] Watchdog caught collective operation timeout: WorkNCCL(SeqNum=1580, OpType=ALLREDUCE, NumelIn=466119168, NumelOut=466119168, Timeout(ms)=600000) ran for 600060 milliseconds before timing out.";
    public const string WatchdogStatus = "[rank0]:[E321 02:07:08.465150152 ProcessGroupNCCL.cpp:1664] [PG 1 Rank 0] Exception (either an error or timeout) detected by watchdog at work: 1580, last enqueued NCCL work: 1582, last completed NCCL work: 1579.";
    public const string WatchdogOld = "[E ProcessGroupNCCL.cpp:737] [Rank 1] Watchdog caught collective operation timeout: WorkNCCL(SeqNum=469508, OpType=ALLREDUCE, Timeout(ms)=1800000) ran for 1802212 milliseconds before timing out.";
    public const string WatchdogNewRank2 = "[rank2]:[E918 19:29:25.950900997 ProcessGroupNCCL.cpp:2303] [PG ID 0 PG GUID 0(default_pg) Rank 2]  failure detected by watchdog at work sequence id: 7219 PG status: last enqueued work: 7219, last completed work: 7218";
    public const string WatchdogNewRank3 = "[rank3]:[E918 19:29:25.950900997 ProcessGroupNCCL.cpp:2303] [PG ID 0 PG GUID 0(default_pg) Rank 3]  failure detected by watchdog at work sequence id: 7219 PG status: last enqueued work: 7220, last completed work: 7218";
    public const string Xid119 = "[Sun Feb 23 16:24:18 2025] NVRM: Xid (PCI:0000:9b:00): 119, pid=2024380, name=nvidia-smi, Timeout after 6s of waiting for RPC response from GPU4 GSP! Expected function 103 (GSP_RM_ALLOC) (0x2081 0x4).";
    public const string Xid31 = "[22859.081860] NVRM: Xid (PCI:0000:01:00): 31, pid=14292, name=python, Ch 00000030, intr 00000000. MMU Fault: ENGINE HOST0 HUBCLIENT_ESC faulted @ 0x10_00200000. Fault is of type FAULT_PDE ACCESS_TYPE_VIRT_READ";
    public const string Xid79 = "NVRM: Xid (PCI:0000:44:00): 79, GPU has fallen off the bus";
    public const string Xid48 = "[ 1234.567890] NVRM: Xid (PCI:0000:3b:00): 48, pid=5512, name=python, An uncorrectable double bit error (DBE) has been detected on GPU in the framebuffer at partition 6, subpartition 0.";
    public const string Xid154 = "[171167.621162] NVRM: Xid (PCI:0009:01:00): 154, GPU recovery action changed from 0x0 (None) to 0x4 (Drain and Reset)";
    public const string OffBus = "NVRM: The NVIDIA GPU 0000:b3:00.0\nNVRM: (PCI ID: 10de:26b5) installed in this system has\nNVRM: fallen off the bus and is not responding to commands.";
    public const string CudaOomNew = "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 546.00 MiB. GPU 0 has a total capacity of 15.77 GiB of which 514.19 MiB is free. Process 562167 has 15.25 GiB memory in use. Of the allocated memory 13.73 GiB is allocated by PyTorch, with 46.00 MiB allocated in private pools (e.g., CUDA Graphs), and 736.86 MiB is reserved by PyTorch but unallocated. If reserved but unallocated memory is large try setting PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True to avoid fragmentation.  See documentation for Memory Management  (https://pytorch.org/docs/stable/notes/cuda.html#environment-variables)";
    public const string CudaOomOld = "RuntimeError: CUDA out of memory. Tried to allocate 12.50 MiB (GPU 0; 10.92 GiB total capacity; 8.57 MiB already allocated; 9.28 GiB free; 4.68 MiB cached)";
    public const string Ecc = "RuntimeError: CUDA error: uncorrectable ECC error encountered";
    public const string EccWatchdog = "[E ProcessGroupNCCL.cpp:916] [Rank 1] NCCL watchdog thread terminated with exception: CUDA error: uncorrectable ECC error encountered";
    public const string OomKiller = "[856341.770960] Out of memory: Killed process 410126 (python) total-vm:79905000kB, anon-rss:22957108kB, file-rss:72036kB, shmem-rss:15143164kB, UID:1000 pgtables:78032kB oom_score_adj:0";
    public const string TorchrunKilled = "[2024-10-28 06:14:37,244] torch.distributed.elastic.multiprocessing.api: [ERROR] failed (exitcode: -9) local_rank: 0 (pid: 598577) of binary: /usr/bin/python";
    public const string WorkerKilled = "RuntimeError: DataLoader worker (pid 12890) is killed by signal: Killed.";
    public const string SoftLockup = "kernel:[ 5508.496754] watchdog: BUG: soft lockup - CPU#72 stuck for 23s! [cuda-EvtHandlr:4856]";
    public const string HungTask = "INFO: task jfsmount:136986 blocked for more than 120 seconds.";
    public const string NanDetectron = "FloatingPointError: Loss became infinite or NaN at iteration=2137!";
    public const string NanLossDict = "loss_dict = {'loss_cls': tensor(nan, device='cuda:0', grad_fn=<NllLossBackward>), 'loss_box_reg': tensor(nan, device='cuda:0')}";
    public const string GradNormNan = "2022-12-05 16:28:38,593 - mmdet - INFO - Epoch [12][700/3953]\tlr: 3.604e-06, eta: 0:00:01, loss: 4.3531, grad_norm: nan";
    public const string Overflow = "[2023-06-07 22:16:00,018] [INFO] [loss_scaler.py:181:update_scale] [deepspeed] OVERFLOW! Rank 0 Skipping step. Attempted loss scale: 64, reducing to 32";
    public const string ScaleMinimum = "Exception: Current loss scale already at minimum - cannot decrease scale anymore. Exiting run.";
    public const string Segfault = "[12345.678901] python[41234]: segfault at 0 ip 00007f3a1c2b4d10 sp 00007ffd4c3e2a80 error 4 in libnccl.so.2.18.3[7f3a1c000000+1a000000]";
    public const string Iommu = "[ 1023.332211] AMD-Vi: Event logged [IO_PAGE_FAULT domain=0x0013 address=0xd4e90000 flags=0x0020]";
    public const string P2pChannel = "node1:1234:1300 [0] NCCL INFO Channel 00/0 : 0[0] -> 1[1] via P2P/IPC";
    public const string DeviceAssert = "../aten/src/ATen/native/cuda/Indexing.cu:1146: indexSelectLargeIndex: block: [21,0,0], thread: [64,0,0] Assertion `srcIndex < srcSelectDimSize` failed.";
}
