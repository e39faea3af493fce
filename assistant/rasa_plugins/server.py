"""`rasa` for this project's Rasa server: Rasa's own command line, one import lighter.

`python -m assistant.rasa_plugins.server run ...` takes what `rasa run ...` takes.

TensorFlow 2.12 imports JAX, when it is installed, only for TensorFlow Lite's
converter (`tensorflow/lite/python/util.py`, an import guarded by `ImportError`);
`tensorflow` 2.12 requires `jax`, so it is always installed, and importing it cost
the Rasa server 47 MiB (PSS, measured with the server's imports). A Rasa server
never converts a model to TensorFlow Lite, so this entry marks those modules as not
importable before Rasa imports TensorFlow, then hands over to Rasa unchanged.
"""

from __future__ import annotations

import sys

# Modules only an optional import in TensorFlow reaches, which Rasa never uses.
NEVER_USED_MODULES = ("jax",)


def skip_never_used_modules() -> None:
    """Make `import jax` fail fast (`ImportError`) in this process, before TensorFlow
    is imported; a module already imported is left alone."""
    for name in NEVER_USED_MODULES:
        sys.modules.setdefault(name, None)  # type: ignore[arg-type]


def main(argv: list[str]) -> None:
    """Run Rasa's command line with `argv` (as `rasa <argv>`)."""
    skip_never_used_modules()
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *argv]
    rasa_main()


if __name__ == "__main__":
    main(sys.argv[1:])
