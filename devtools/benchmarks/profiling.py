"""py-spy under load: sample a stack's services while users talk to it, then keep
their top frames as text (self time and total time per function).

`py-spy record --format raw` writes collapsed stacks (`frame;frame;... count`);
`top_frames` reads them. Sampling runs with `--nonblocking`, so it slows the
processes it samples as little as possible; the figures of a profiled phase are
not the benchmark's figures (that phase runs after them).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

TOP = 25
RATE = 100  # samples per second


def parse_collapsed(text: str) -> list[tuple[list[str], int]]:
    """(frames from root to leaf, samples) for each line of py-spy's raw output."""
    stacks: list[tuple[list[str], int]] = []
    for line in text.splitlines():
        frames, _, count = line.rpartition(" ")
        if frames and count.isdigit():
            stacks.append((frames.split(";"), int(count)))
    return stacks


def _function(frame: str) -> str:
    """`name (path:line)` without the line, so a function counts once."""
    name, _, where = frame.partition(" (")
    path = where.rsplit(":", 1)[0]
    for marker in ("site-packages/", "/work/"):
        if marker in path:
            path = path.split(marker, 1)[1]
    return f"{name} ({path})" if path else name


def top_frames(stacks: Sequence[tuple[Sequence[str], int]], top: int = TOP) -> dict[str, object]:
    """The functions with most samples on-CPU themselves (self) and on the stack (total)."""
    total = sum(count for _, count in stacks)
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    for frames, count in stacks:
        if not frames:
            continue
        own[_function(frames[-1])] += count
        for name in {_function(frame) for frame in frames}:
            inclusive[name] += count
    return {
        "samples": total,
        "self": [(name, count) for name, count in own.most_common(top)],
        "total": [(name, count) for name, count in inclusive.most_common(top)],
    }


def render_top(service: str, found: Mapping[str, object]) -> str:
    """A text table of one service's top frames, with percentages of its samples."""
    samples = int(str(found["samples"])) or 1
    lines = [f"== {service}: {samples} samples =="]
    for kind in ("self", "total"):
        lines.append(f"-- top {kind} --")
        rows = found[kind]
        assert isinstance(rows, list)
        lines += [f"{100 * count / samples:6.1f}%  {name}" for name, count in rows]
    return "\n".join(lines) + "\n"


@contextmanager
def sampled(pids: Mapping[str, int], seconds: float, out_dir: Path) -> Iterator[None]:
    """Record each service in `pids` with py-spy for `seconds` while the body runs,
    then write `<service>.txt` (top frames) into `out_dir`."""
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    out_dir.mkdir(parents=True, exist_ok=True)
    running: dict[str, subprocess.Popen[bytes]] = {}
    for service, pid in pids.items():
        command = [spy, "record", "--pid", str(pid), "--duration", str(int(seconds))]
        command += ["--rate", str(RATE), "--format", "raw", "--nonblocking"]
        command += ["--output", str(out_dir / f"{service}.raw")]
        running[service] = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
    try:
        yield
    finally:
        for service, process in running.items():
            process.wait(timeout=seconds + 60)
            raw = out_dir / f"{service}.raw"
            if raw.exists():
                found = top_frames(parse_collapsed(raw.read_text(errors="replace")))
                (out_dir / f"{service}.txt").write_text(render_top(service, found))
                raw.unlink()
