#!/usr/bin/env python3
"""Runs a command N times and prints its wall clock and peak memory (whole process, from outside).

    measure.py --runs 3 --label "qt backtest" --setup "rm -rf /tmp/x" [--stdout FILE] -- CMD ARGS...

Each run: the setup shell command (not timed), then CMD with stdout discarded (or appended to
FILE with --stdout) and stderr kept for a failure message; wall clock
from a monotonic clock around fork+exec+wait, CPU time and peak memory from wait4's rusage of that child.
Prints one line per run and a summary line
`RESULT label|wall_best|wall_median|peak_mib_max|cpu_best|cpu_median` (cpu = the child's user + sys time,
which a busy machine inflates far less than the wall clock).
Standard library only (the machine's python3)."""
import os
import subprocess
import sys
import time


def main() -> int:
    args = sys.argv[1:]
    runs, label, setup, keep = 3, "command", None, None
    while args and args[0] != "--":
        flag = args.pop(0)
        if flag == "--runs":
            runs = int(args.pop(0))
        elif flag == "--label":
            label = args.pop(0)
        elif flag == "--setup":
            setup = args.pop(0)
        elif flag == "--stdout":
            keep = args.pop(0)
        else:
            print(f"measure.py: unknown option {flag}", file=sys.stderr)
            return 2
    if not args or args[0] != "--" or len(args) < 2:
        print("usage: measure.py [--runs N] [--label TEXT] [--setup SHELL] -- CMD ARGS...", file=sys.stderr)
        return 2
    command = args[1:]
    walls, peaks, cpus = [], [], []
    for run in range(1, runs + 1):
        if setup:
            subprocess.run(setup, shell=True, check=True)
        start = time.monotonic()
        output = open(keep, "a") if keep else subprocess.DEVNULL
        child = subprocess.Popen(command, stdout=output, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.monotonic() - start
        if keep:
            output.close()
        child.returncode = os.waitstatus_to_exitcode(status)
        error = child.stderr.read().decode(errors="replace") if child.stderr else ""
        if child.returncode != 0:
            print(f"{label}: run {run} failed with status {child.returncode}: {error.strip()[-500:]}", file=sys.stderr)
            return 1
        peak = usage.ru_maxrss / 1024  # KiB on Linux
        cpu = usage.ru_utime + usage.ru_stime
        walls.append(wall)
        peaks.append(peak)
        cpus.append(cpu)
        print(f"  {label} run {run}: {wall:.3f} s wall, {cpu:.3f} s cpu (user+sys), peak memory {peak:.1f} MiB")
    ordered, cpu_ordered = sorted(walls), sorted(cpus)
    print(f"RESULT {label}|{ordered[0]:.3f}|{ordered[len(ordered) // 2]:.3f}|{max(peaks):.1f}|{cpu_ordered[0]:.3f}|{cpu_ordered[len(cpu_ordered) // 2]:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
