#!/usr/bin/env python3
"""Compares `leopard-cli forward` outputs with the tiny-leopard goldens
(tests/data/README.md): max |difference| per tensor and whether the
greedy tokens match. Plain Python (the safetensors format is a JSON header
and little-endian arrays), so it runs on any machine.
Usage: compare_golden.py GOLDEN_DIR OUT.safetensors [LABEL]"""
import json
import struct
import sys

FORMATS = {"F32": "f", "F64": "d", "I64": "q", "I32": "i"}


def load(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, e in header.items():
        if name == "__metadata__" or e["dtype"] not in FORMATS:
            continue
        begin, end = e["data_offsets"]
        fmt = FORMATS[e["dtype"]]
        count = (end - begin) // struct.calcsize(fmt)
        out[name] = (e["shape"], struct.unpack(f"<{count}{fmt}", data[begin:end]))
    return out


golden_dir, produced = sys.argv[1], sys.argv[2]
label = sys.argv[3] if len(sys.argv) > 3 else produced
want, got = load(f"{golden_dir}/golden.safetensors"), load(produced)
meta = json.load(open(f"{golden_dir}/golden.json"))
parts = []
for name in ("vision_last_hidden_state", "image_features", "logits"):
    (ws, wv), (gs, gv) = want[name], got.get(name, (None, ()))
    worst = max(abs(a - b) for a, b in zip(gv, wv)) if ws == gs else float("inf")
    parts.append(f"{name} max|d|={worst:.2e}")
tokens = list(got["generated_ids"][1]) if "generated_ids" in got else []
same = tokens == meta["greedy_tokens"]
print(f"{label}: " + ", ".join(parts) + f", greedy tokens {'identical' if same else 'DIFFER: ' + str(tokens)}")
