#!/usr/bin/env python3
"""A minimal training-shaped job for `ccl-agent tune` under torchrun (or mpirun/srun with torch's env:// init).

Each iteration runs optional compute, then all-reduces a gradient-sized bucket with the NCCL backend
(gloo on a machine without CUDA, where NCCL settings have no effect), and rank 0 prints one
`CCL_METRICS {"iteration": i, "iteration_ms": ...}` line, the protocol ccl-agent reads. NCCL_* settings
arrive through the environment, as ccl-agent sets them for each step.

    torchrun --standalone --nproc-per-node=8 examples/jobs/allreduce_train.py --bytes 268435456
"""
import argparse
import json
import os
import time

import torch
import torch.distributed as dist


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bytes", type=int, default=256 << 20, help="bytes all-reduced per iteration")
    parser.add_argument("--iters", type=int, default=30, help="iterations, warm-up included")
    parser.add_argument("--compute-ms", type=float, default=0.0, help="busy compute before each all-reduce")
    args = parser.parse_args()

    use_cuda = torch.cuda.is_available()
    dist.init_process_group("nccl" if use_cuda else "gloo")
    rank = dist.get_rank()
    device = torch.device("cuda", int(os.environ.get("LOCAL_RANK", "0"))) if use_cuda else torch.device("cpu")
    if use_cuda:
        torch.cuda.set_device(device)

    bucket = torch.ones(args.bytes // 4, dtype=torch.float32, device=device)
    weights = torch.randn(2048, 2048, device=device)
    for iteration in range(args.iters):
        start = time.perf_counter()
        deadline = start + args.compute_ms / 1000
        while time.perf_counter() < deadline:
            weights = weights @ weights.T / 2048
            if use_cuda:
                torch.cuda.synchronize()
        dist.all_reduce(bucket)
        if use_cuda:
            torch.cuda.synchronize()
        elapsed_ms = (time.perf_counter() - start) * 1000
        if rank == 0:
            print("CCL_METRICS " + json.dumps({"iteration": iteration, "iteration_ms": round(elapsed_ms, 3)}), flush=True)

    dist.destroy_process_group()


if __name__ == "__main__":
    main()
