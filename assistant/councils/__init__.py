"""The council registry: every `councils/<id>/council.yml`, validated once."""

from assistant.councils.registry import (
    Council,
    CouncilConfigError,
    CouncilRegistry,
    councils_dir,
    default_registry,
)

__all__ = ["Council", "CouncilConfigError", "CouncilRegistry", "councils_dir", "default_registry"]
