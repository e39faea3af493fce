"""Settings, read once from the environment with embedded defaults for one machine."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Settings:
    """Where things are and which ports they listen on."""

    project_root: Path
    models_dir: Path
    var_dir: Path
    rasa_port: int
    actions_port: int
    host: str

    @property
    def rasa_url(self) -> str:
        return f"http://{self.host}:{self.rasa_port}"

    @property
    def actions_url(self) -> str:
        return f"http://{self.host}:{self.actions_port}"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Build settings from `ASSISTANT_*` variables; a bad value is a clear error."""
        env = os.environ if environ is None else environ
        return cls(
            project_root=PROJECT_ROOT,
            models_dir=Path(env.get("ASSISTANT_MODELS_DIR", PROJECT_ROOT / "models")),
            var_dir=Path(env.get("ASSISTANT_VAR_DIR", PROJECT_ROOT / "var")),
            rasa_port=_port(env, "ASSISTANT_RASA_PORT", 5005),
            actions_port=_port(env, "ASSISTANT_ACTIONS_PORT", 5055),
            host=env.get("ASSISTANT_HOST", "localhost"),
        )


def _port(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        port = int(raw)
    except ValueError:
        raise ValueError(f"{name} must be a port number, not {raw!r}") from None
    if not 0 < port < 65536:
        raise ValueError(f"{name} must be between 1 and 65535, not {port}")
    return port
