"""The project's command line: `python -m assistant <command>`."""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

from assistant.councils import CouncilConfigError, CouncilRegistry
from assistant.settings import PROJECT_ROOT, Settings
from assistant.stack import Stack, assistant_services
from assistant.training import newest_model, train


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments and run one command; returns the process exit code."""
    parser = argparse.ArgumentParser(prog="python -m assistant", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("councils", help="validate and list the configured councils")
    train_parser = commands.add_parser("train", help="train the shared model if data changed")
    train_parser.add_argument("--force", action="store_true", help="train even if unchanged")
    commands.add_parser("run", help="train if needed, then start everything in the foreground")
    evaluate_parser = commands.add_parser(
        "evaluate-nlu", help="score the model on held-out data; fail below the quality gates"
    )
    evaluate_parser.add_argument("--out", default="reports/nlu", help="report directory")
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
        if args.command == "councils":
            return list_councils()
        if args.command == "train":
            train(settings, force=args.force)
            return 0
        if args.command == "run":
            return run(settings)
        if args.command == "evaluate-nlu":
            return evaluate_nlu(settings, Path(args.out))
    except (CouncilConfigError, ValueError, FileNotFoundError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    parser.error(f"unknown command {args.command}")
    return 2


def list_councils() -> int:
    """Print each configured council; fails with the first configuration problem."""
    registry = CouncilRegistry.load()
    for council in registry:
        areas = ", ".join(council.postcode_areas)
        print(f"{council.id:<16} {council.name}  (postcode areas: {areas})")
    return 0


def evaluate_nlu(settings: Settings, out_dir: Path) -> int:
    """Evaluate the newest model on the held-out sets and check the quality gates."""
    from assistant import evaluation

    report, predictions, oos = evaluation.evaluate(newest_model(settings.models_dir))
    path = evaluation.write_report(report, predictions, oos, out_dir)
    print(
        f"NLU held-out: intent macro-F1 {report.macro_f1:.3f}, accuracy {report.accuracy:.3f}; "
        f"out-of-scope false-accept rate {report.oos_false_accept_rate:.3f} "
        f"({report.oos_false_accepts}/{report.oos_total}). Report: {path}"
    )
    problems = evaluation.failures(report, evaluation.load_gates())
    for problem in problems:
        print(f"FAILED: {problem}", file=sys.stderr)
    return 1 if problems else 0


def run(settings: Settings) -> int:
    """Train if needed, start the action server and Rasa, and wait for Ctrl-C."""
    CouncilRegistry.load()  # refuse to start on a broken council configuration
    train(settings)
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    stack = Stack(assistant_services(settings, PROJECT_ROOT / "endpoints.yml"))

    def stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        stack.start()
        print(
            "\nThe council assistant is running. Ctrl-C stops everything.\n"
            f"  REST channel:  POST {settings.rasa_url}/webhooks/rest/webhook\n"
            '                 {"sender": "me", "message": "hello", '
            '"metadata": {"council": "brackenbury"}}\n'
            f"  Action server: {settings.actions_url}/webhook\n",
            flush=True,
        )
        return stack.wait()
    except KeyboardInterrupt:
        print("\nStopping...", flush=True)
        return 0
    finally:
        stack.stop()
