"""Independent derivation of the expected GPU breakdown and overlap of the two HTA sampled-rank traces.

Reads the raw Kineto JSON with Python's json module (no ccl-agent code) and applies the definitions of docs/trace.md:
per rank, the union of compute kernels, of NCCL kernels (name starts with "nccl") and of memcpy/memset intervals; idle
is the GPU window (first start to last end of any GPU activity) minus the union of all; overlap is
|communication ∩ compute| / |communication|. Run: python3 expected.py
"""
import gzip
import json
import os


def union(intervals):
    out = []
    for s, e in sorted(intervals):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return out


def length(u):
    return sum(e - s for s, e in u)


def intersect(a, b):
    i = j = 0
    total = 0
    while i < len(a) and j < len(b):
        lo, hi = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        total += max(0, hi - lo)
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return total


here = os.path.dirname(os.path.abspath(__file__))
for name in ("sampled_rank-0.json.gz", "sampled_rank-1.json.gz"):
    trace = json.load(gzip.open(os.path.join(here, name)))
    gpu = [e for e in trace["traceEvents"] if e.get("ph") == "X" and e.get("cat") in ("kernel", "gpu_memcpy", "gpu_memset")]
    iv = lambda pred: union([(e["ts"], e["ts"] + e.get("dur", 0)) for e in gpu if pred(e)])
    comm = iv(lambda e: e["cat"] == "kernel" and e["name"].lower().startswith("nccl"))
    compute = iv(lambda e: e["cat"] == "kernel" and not e["name"].lower().startswith("nccl"))
    mem = iv(lambda e: e["cat"] != "kernel")
    busy = iv(lambda e: True)
    window = max(e["ts"] + e.get("dur", 0) for e in gpu) - min(e["ts"] for e in gpu)
    both = intersect(comm, compute)
    print(f"rank {trace['distributedInfo']['rank']}: window {window} compute {length(compute)} communication {length(comm)} "
          f"memcpy {length(mem)} idle {window - length(busy)} overlap {round(both / length(comm), 4)}")
