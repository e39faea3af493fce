"""The machine the benchmark runs on: its facts, and its processes' memory (/proc)."""

from __future__ import annotations

import datetime as dt
import os
import platform
import signal
import subprocess
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from types import FrameType
from typing import Any

from assistant.settings import PROJECT_ROOT
from devtools.supervisor.stack import Stack, unix_socket


def parse_vmrss_kib(status: str) -> int | None:
    """VmRSS in KiB from the text of /proc/<pid>/status (None for a zombie)."""
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return None


def parse_ppid(stat: str) -> int:
    """The parent pid from the text of /proc/<pid>/stat (the name may hold spaces)."""
    return int(stat.rsplit(")", 1)[1].split()[1])


def process_tree(root: int) -> list[int]:
    """`root` and every live descendant of it, from /proc."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parents[int(entry.name)] = parse_ppid((entry / "stat").read_text())
        except (OSError, ValueError, IndexError):
            continue  # the process ended while we looked
    tree, frontier = [root], [root]
    while frontier:
        children = [pid for pid, ppid in parents.items() if ppid in frontier]
        tree += children
        frontier = children
    return tree


def rss_mib(pids: Sequence[int]) -> float:
    """The summed VmRSS of `pids` in MiB (shared pages count once per process)."""
    total_kib = 0
    for pid in pids:
        try:
            total_kib += parse_vmrss_kib(Path(f"/proc/{pid}/status").read_text()) or 0
        except OSError:
            continue
    return total_kib / 1024


# Services that stand in for systems a council already runs (not the product).
FAKE_SERVICES = frozenset({"demo-backoffice", "sms-gateway"})


def parse_rollup_kib(rollup: str) -> dict[str, int]:
    """The KiB fields of /proc/<pid>/smaps_rollup (Rss, Pss, Private_Dirty...)."""
    fields: dict[str, int] = {}
    for line in rollup.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0].endswith(":") and parts[2] == "kB":
            fields[parts[0][:-1]] = int(parts[1])
    return fields


def memory_mib(pids: Sequence[int]) -> dict[str, float]:
    """Summed RSS, PSS (shared pages split between the processes mapping them) and USS
    (private pages only) of `pids`, in MiB, from /proc/<pid>/smaps_rollup."""
    totals = {"rss_mib": 0.0, "pss_mib": 0.0, "uss_mib": 0.0}
    for pid in pids:
        try:
            fields = parse_rollup_kib(Path(f"/proc/{pid}/smaps_rollup").read_text())
        except OSError:
            continue
        totals["rss_mib"] += fields.get("Rss", 0) / 1024
        totals["pss_mib"] += fields.get("Pss", 0) / 1024
        private = fields.get("Private_Clean", 0) + fields.get("Private_Dirty", 0)
        totals["uss_mib"] += private / 1024
    return totals


def stack_memory(stack: Stack) -> dict[str, dict[str, Any]]:
    """Per service: RSS, PSS and USS in MiB, its process count, and whether it is a
    fake standing in for an external system."""
    memory: dict[str, dict[str, Any]] = {}
    for name, pids in service_processes(stack).items():
        fake = name in FAKE_SERVICES
        memory[name] = {**memory_mib(pids), "processes": len(pids), "fake": fake}
    return memory


def stack_pids(stack: Stack, name: str | None = None) -> list[int]:
    """The processes of the stack's services (or of the one called `name`)."""
    processes = service_processes(stack)
    return [pid for key, pids in processes.items() if name in (None, key) for pid in pids]


def service_processes(stack: Stack) -> dict[str, list[int]]:
    """Every running service's processes, each process counted once: a service's
    process and its descendants. A forked service's process is the child the fork
    server forked for it (so a child of the fork server, not of the stack); the fork
    server's row is what is left of its own tree: itself, and any child no service
    claims."""
    trees = {
        service.name: process_tree(service.process.pid)
        for service in stack.services
        if service.process is not None
    }
    for service in stack.services:
        if service.name in trees and unix_socket(service.health_url) is not None:
            claimed = {pid for name, tree in trees.items() if name != service.name for pid in tree}
            trees[service.name] = [pid for pid in trees[service.name] if pid not in claimed]
    return trees


@contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """Let `kill` stop the benchmark through its finally blocks, like Ctrl-C."""

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def machine_facts() -> dict[str, Any]:
    """The machine and software the figures were measured on."""

    def version(package: str) -> str:
        try:
            return metadata.version(package)
        except metadata.PackageNotFoundError:
            return "not installed"

    def first_line(path: str, prefix: str) -> str:
        try:
            for line in Path(path).read_text().splitlines():
                if line.startswith(prefix):
                    return line.split(":", 1)[1].strip()
        except OSError:
            pass
        return "unknown"

    return {
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": len(os.sched_getaffinity(0)),
        "cpu": first_line("/proc/cpuinfo", "model name"),
        "memory": first_line("/proc/meminfo", "MemTotal"),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "rasa": version("rasa"),
        "rasa-sdk": version("rasa-sdk"),
        "tensorflow": version("tensorflow"),
        "load average at start (1/5/15 min)": load_average(),
        "source": git_revision(),
    }


def load_average() -> str:
    """The 1, 5 and 15 minute load averages (the machine is shared)."""
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def git_revision() -> str:
    """The commit measured, marked when the working tree had changes."""
    try:
        completed = subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return f"git {completed.stdout.strip()}"
