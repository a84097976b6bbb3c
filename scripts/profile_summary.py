#!/usr/bin/env python3
"""Totals a LibTorch chrome trace (leopard-cli bench --profile FILE) per
operator: calls, self time (time not spent in nested operators) and share
of the traced wall time; what no operator covers is the project's own code
between LibTorch calls (e.g. the bf16 gemv kernel) and the C++ glue.
Usage: profile_summary.py TRACE.json [TOP]"""
import json
import sys
from collections import defaultdict

events = [e for e in json.load(open(sys.argv[1])) if e.get("ph") == "X"]
top = int(sys.argv[2]) if len(sys.argv) > 2 else 15
events.sort(key=lambda e: (e["ts"], -e["dur"]))
self_time, calls = defaultdict(float), defaultdict(int)
stack, covered = [], 0.0   # stack of [end, name, child time]
for e in events:
    start, end = e["ts"], e["ts"] + e["dur"]
    while stack and stack[-1][0] <= start:
        stack.pop()
    if stack:
        stack[-1][2] += e["dur"]
    else:
        covered += e["dur"]
    calls[e["name"]] += 1
    self_time[e["name"]] += e["dur"]
    if stack:
        self_time[stack[-1][1]] -= e["dur"]
    stack.append([end, e["name"], 0.0])
wall = max(e["ts"] + e["dur"] for e in events) - min(e["ts"] for e in events)
print(f"traced wall {wall / 1e3:.1f} ms, {len(events)} operator calls; "
      f"outside any operator {100 * (wall - covered) / wall:.1f} %")
for name, t in sorted(self_time.items(), key=lambda kv: -kv[1])[:top]:
    print(f"{100 * t / wall:6.1f} %  {t / 1e3:9.1f} ms  {calls[name]:7d}  {name}")
