"""`python -m assistant.rasa_plugins.server` is Rasa's command line, with JAX (which
only TensorFlow Lite's converter imports) never loaded."""

from __future__ import annotations

import subprocess
import sys

from assistant.settings import PROJECT_ROOT

TENSORFLOW_WITHOUT_JAX = """
import sys
from assistant.rasa_plugins.server import skip_never_used_modules
skip_never_used_modules()
import tensorflow as tf
jax_loaded = "jax" in sys.modules and sys.modules["jax"] is not None
print(tf.reduce_sum(tf.constant([1, 2, 3])).numpy(), jax_loaded)
"""


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=300
    )


def test_tensorflow_works_without_jax() -> None:
    done = run("-c", TENSORFLOW_WITHOUT_JAX)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split()[-2:] == ["6", "False"]


def test_without_the_entry_tensorflow_does_load_jax() -> None:
    # What the entry saves: plain TensorFlow imports JAX (tensorflow 2.12 requires it).
    done = run("-c", "import sys, tensorflow; print('jax' in sys.modules)")
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split()[-1] == "True"


def test_the_entry_runs_rasas_command_line() -> None:
    done = run("-m", "assistant.rasa_plugins.server", "--version")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Rasa Version" in done.stdout
