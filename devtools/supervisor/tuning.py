"""Process settings for the whole stack on a small machine (issue 14)."""

from __future__ import annotations

from dataclasses import replace

from assistant.settings import Settings
from devtools.supervisor.stack import Service

# Issue 14: process settings for a small (2-core) machine running the whole stack.
# glibc's malloc keeps up to 8 arenas per core for threaded processes; two are enough
# here and keep resident memory down. Rasa's TensorFlow gets one thread per op pool:
# TED predicts one message at a time, and extra threads only contend for the cores.
PROCESS_TUNING = {"MALLOC_ARENA_MAX": "2"}
RASA_TUNING = {"TF_INTER_OP_PARALLELISM_THREADS": "1", "TF_INTRA_OP_PARALLELISM_THREADS": "1"}


def tuned(service: Service) -> Service:
    """`service` with the stack's process settings (the environment's own win)."""
    extra = {**PROCESS_TUNING, **(RASA_TUNING if service.name == "rasa" else {})}
    environ = Settings.from_env().environ
    return replace(
        service, env={**{k: v for k, v in extra.items() if k not in environ}, **service.env}
    )
