#!/usr/bin/env python3
"""Summarises a libtorch Chrome trace (from `bench --profile FILE`): self time per operator.

Usage: python3 bench/profile_summary.py trace.json [--top 25] [--steps 5]

Self time = an event's duration minus that of the events nested inside it on the same thread,
so the rows add up to the traced time and nothing is counted twice (aten::linear includes
aten::addmm, which does the work). Standard library only.
"""
import argparse
import collections
import json


def events(path):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    if isinstance(data, dict):
        data = data.get("traceEvents", [])
    return [e for e in data if e.get("ph") == "X" and "dur" in e]


def self_times(evts):
    by_thread = collections.defaultdict(list)
    for e in evts:
        by_thread[(e.get("pid"), e.get("tid"))].append(e)
    totals = collections.defaultdict(float)
    counts = collections.Counter()
    for thread in by_thread.values():
        thread.sort(key=lambda e: (float(e["ts"]), -float(e["dur"])))
        stack = []  # [end, name, child time]
        for e in thread:
            start, dur = float(e["ts"]), float(e["dur"])
            while stack and stack[-1][0] <= start:
                end, name, child = stack.pop()
                totals[name] -= child
            if stack:
                stack[-1][2] += dur
            totals[e["name"]] += dur
            counts[e["name"]] += 1
            stack.append([start + dur, e["name"], 0.0])
        while stack:
            end, name, child = stack.pop()
            totals[name] -= child
    return totals, counts


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("trace")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--steps", type=int, default=5, help="steps recorded (default 5)")
    args = parser.parse_args()
    totals, counts = self_times(events(args.trace))
    whole = sum(totals.values())
    print(f"{'operator':<44} {'ms/step':>9} {'share':>7} {'calls/step':>10}")
    for name, us in sorted(totals.items(), key=lambda kv: -kv[1])[: args.top]:
        print(
            f"{name[:44]:<44} {us / 1e3 / args.steps:9.2f} {us / whole:7.1%}"
            f" {counts[name] / args.steps:10.1f}"
        )
    print(f"{'all operators':<44} {whole / 1e3 / args.steps:9.2f} {1:7.1%}")


if __name__ == "__main__":
    main()
