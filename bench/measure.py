#!/usr/bin/env python3
"""Run one command and report its wall time, CPU time and peak memory as JSON.

    python bench/measure.py [--cwd DIR] [--log FILE] -- COMMAND ARGS...

``run.py`` starts a fresh copy of this wrapper for every measured run, so that
``getrusage(RUSAGE_CHILDREN)`` covers exactly that command and every descendant that
was waited for (a build's process-pool workers included).  Reported, on the last line
of stdout:

``wall_s``
    from just before the command is started to its exit.
``cpu_s``
    user + system CPU seconds of the command and its waited-for descendants (``sys_s``: the
    system part alone).
``max_rss_mib``
    ``ru_maxrss``: the peak resident set of the single largest process of the tree.
``tree_pss_mib``
    the largest sum, over the whole process tree, of each process's proportional set
    size (``/proc/PID/smaps_rollup``; RSS where that is missing), sampled every 20 ms.
    Shared pages are split between the processes that share them, so forked workers
    are not counted twice.  A short spike between two samples can be missed.
``peak_mib``
    the larger of the two: what the run needed from the machine at its worst.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import threading
import time

PAGE = os.sysconf("SC_PAGE_SIZE")


def children_of(pid: int) -> list[int]:
    kids: list[int] = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{tid}/children") as f:
                    kids += [int(x) for x in f.read().split()]
            except OSError:
                pass
    except OSError:
        pass
    return kids


def tree(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        todo += children_of(p)
    return found


def memory_kib(pid: int) -> int:
    """PSS of ``pid`` in KiB (RSS if smaps_rollup cannot be read); 0 if it is gone."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * PAGE // 1024
    except OSError:
        return 0


class Sampler(threading.Thread):
    def __init__(self, pid: int, interval: float = 0.02):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_kib = 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            total = sum(memory_kib(p) for p in tree(self.pid))
            self.peak_kib = max(self.peak_kib, total)
            self.stop.wait(self.interval)


def measure(command: list[str], cwd: str | None = None, log: str | None = None, env: dict | None = None) -> dict:
    out = open(log, "wb") if log else subprocess.DEVNULL
    try:
        start = time.perf_counter()
        proc = subprocess.Popen(
            command,
            cwd=cwd,
            stdout=out,
            stderr=subprocess.STDOUT if log else subprocess.DEVNULL,
            stdin=subprocess.DEVNULL,
            env=env,
        )
        sampler = Sampler(proc.pid)
        sampler.start()
        rc = proc.wait()
        wall = time.perf_counter() - start
        sampler.stop.set()
        sampler.join()
    finally:
        if log:
            out.close()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    max_rss = usage.ru_maxrss / 1024  # KiB on Linux
    tree_pss = sampler.peak_kib / 1024
    return {
        "rc": rc,
        "wall_s": round(wall, 4),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
        "sys_s": round(usage.ru_stime, 3),  # the kernel's share (file creation after an rm -rf, see bench/README)
        "max_rss_mib": round(max_rss, 1),
        "tree_pss_mib": round(tree_pss, 1),
        "peak_mib": round(max(max_rss, tree_pss), 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="time one command; print JSON")
    parser.add_argument("--cwd")
    parser.add_argument("--log", help="file for the command's stdout and stderr")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command")
    print(json.dumps(measure(command, args.cwd, args.log)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
