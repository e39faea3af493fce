"""Model fingerprints: an unchanged project reuses its model, a changed one retrains."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from devtools.training import (
    MODEL_INPUTS,
    TrainingFailed,
    fingerprint,
    newest_model,
    prune,
    run_logged,
)

ROOT = Path(__file__).resolve().parents[2]


def copy_inputs(target: Path) -> Path:
    for name in MODEL_INPUTS:
        source = ROOT / name
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, target / name)
    return target


def test_fingerprint_is_stable_and_follows_the_inputs(tmp_path: Path) -> None:
    root = copy_inputs(tmp_path)
    first = fingerprint(root)
    assert fingerprint(root) == first
    with (root / "data" / "nlu" / "waste.yml").open("a", encoding="utf-8") as file:
        file.write("\n")
    assert fingerprint(root) != first


def test_fingerprint_covers_the_custom_components(tmp_path: Path) -> None:
    root = copy_inputs(tmp_path)
    first = fingerprint(root)
    phrases = root / "assistant" / "safety" / "phrases.yml"
    phrases.write_text(phrases.read_text(encoding="utf-8") + "  - 'sinkhole'\n", encoding="utf-8")
    assert fingerprint(root) != first


def test_prune_keeps_the_newest_models(tmp_path: Path) -> None:
    for index in range(5):
        model = tmp_path / f"m{index}.tar.gz"
        model.write_bytes(b"x")
        os.utime(model, (1_000 + index, 1_000 + index))
    prune(tmp_path, keep=2)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m3.tar.gz", "m4.tar.gz"]
    assert newest_model(tmp_path).name == "m4.tar.gz"


def test_training_output_goes_to_its_log_with_progress_on_the_console(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = tmp_path / "log" / "train.log"
    chatter = "import time; print('DeprecationWarning: tf.old'); time.sleep(0.5)"
    seconds = run_logged([sys.executable, "-c", chatter], log, {}, every=0.1)
    assert seconds >= 0.5
    console = capsys.readouterr().out
    assert "still training" in console and "tf.old" not in console
    assert "DeprecationWarning: tf.old" in log.read_text()


def test_failed_training_shows_the_end_of_its_log(tmp_path: Path) -> None:
    failing = "import sys; print('\\n'.join(f'line {i}' for i in range(100))); sys.exit(4)"
    with pytest.raises(TrainingFailed) as error:
        run_logged([sys.executable, "-c", failing], tmp_path / "train.log", {})
    message = str(error.value)
    assert "exit code 4" in message and "line 99" in message and "line 3\n" not in message
