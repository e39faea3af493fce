"""The development tools' commands on `python -m assistant` (see assistant/cli.py).

Loaded by name by the runtime's command line, only where this package is present.
A new tool is a function here and one line in COMMANDS.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from assistant.cli import Arguments, Command, listen, server_arguments
from assistant.settings import PROJECT_ROOT, Settings


def run(args: argparse.Namespace, settings: Settings) -> int:
    from devtools.supervisor import foreground
    from devtools.supervisor.stack import StackError
    from devtools.training import TrainingFailed

    try:
        return foreground.run(settings)
    except (StackError, TrainingFailed) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


def train(args: argparse.Namespace, settings: Settings) -> int:
    from devtools.training import TrainingFailed
    from devtools.training import train as train_model

    try:
        train_model(settings, force=args.force)
    except TrainingFailed as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


def train_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--force", action="store_true", help="train even if unchanged")


def validate(args: argparse.Namespace, settings: Settings) -> int:
    """Validate the councils and the Rasa project; print every problem found."""
    from assistant.cli import list_councils
    from devtools.validation import validate_project

    list_councils(args, settings)
    problems = validate_project()
    for problem in problems:
        print(f"PROBLEM: {problem}", file=sys.stderr)
    print("Project is valid." if not problems else f"{len(problems)} problem(s) found.")
    return 1 if problems else 0


def evaluate_nlu(args: argparse.Namespace, settings: Settings) -> int:
    """Evaluate the newest model on the held-out sets and check the quality gates."""
    from devtools import evaluation
    from devtools.training import newest_model

    report, predictions, oos = evaluation.evaluate(newest_model(settings.models_dir))
    path = evaluation.write_report(report, predictions, oos, Path(args.out))
    print(
        f"NLU held-out: intent macro-F1 {report.macro_f1:.3f}, accuracy {report.accuracy:.3f}; "
        f"out-of-scope false-accept rate {report.oos_false_accept_rate:.3f} "
        f"({report.oos_false_accepts}/{report.oos_total}); crisis recall "
        f"{report.crisis.recall:.3f}; long-message accuracy "
        f"{evaluation.long_message_accuracy(report):.3f} "
        f"({report.long_messages[0]}/{report.long_messages[1]}). Report: {path}"
    )
    problems = evaluation.failures(report, evaluation.load_gates())
    problems += welsh_gates(newest_model(settings.models_dir), path)
    for problem in problems:
        print(f"FAILED: {problem}", file=sys.stderr)
    return 1 if problems else 0


def welsh_gates(model: Path, report_path: Path) -> list[str]:
    """Evaluate Welsh understanding and language detection (issue 13); the failed gates."""
    from devtools import welsh_evaluation

    welsh = welsh_evaluation.evaluate(model)
    with report_path.open("a", encoding="utf-8") as report:
        report.write("\n".join(welsh_evaluation.report_lines(welsh)) + "\n")
    print(
        f"Welsh held-out: accuracy {welsh.accuracy:.3f}, crisis recall "
        f"{welsh.crisis_recall:.3f}; language detection accuracy {welsh.language_accuracy:.3f} "
        f"({welsh.wrong_language}/{welsh.language_total} given the other language)"
    )
    return welsh_evaluation.failures(welsh, welsh_evaluation.load_gates())


def evaluate_languages(args: argparse.Namespace, settings: Settings) -> int:
    """Train an English-only and a Welsh-only model beside the bilingual one and compare."""
    from devtools import language_choice

    work = Path(args.work) if args.work else settings.var_dir / "language-models"
    return language_choice.run(Path(args.out), work)


def evaluate_languages_arguments(parser: argparse.ArgumentParser) -> None:
    report_arguments("reports/nlu")(parser)
    parser.add_argument("--work", help="where to train (default <var dir>/language-models)")


def report_arguments(out: str, messages: int | None = None) -> Arguments:
    """--out (a report directory) and, for a benchmark, --messages."""

    def add(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--out", default=out, help="report directory")
        if messages is not None:
            parser.add_argument("--messages", type=int, default=messages, help="timed messages")

    return add


def benchmark(args: argparse.Namespace, settings: Settings) -> int:
    from devtools.benchmarks import starter

    users = [int(n) for n in args.users.split(",") if n.strip()]
    profile = Path(args.profile) if args.profile else None
    plan = starter.LoadPlan(tuple(users), args.seconds, args.rounds, profile)
    keep = Path(args.keep) if args.keep else None
    return starter.run(settings, args.messages, Path(args.out), plan, keep)


def benchmark_arguments(parser: argparse.ArgumentParser) -> None:
    report_arguments("reports", messages=50)(parser)
    parser.add_argument(
        "--users", default="16,64", help="closed-loop user counts, comma-separated ('' for none)"
    )
    parser.add_argument("--seconds", type=float, default=20.0, help="counted seconds per phase")
    parser.add_argument("--rounds", type=int, default=2, help="phases per assistant and count")
    parser.add_argument("--keep", help="keep trained assistants here and reuse them")
    parser.add_argument("--profile", help="write py-spy top frames of the council here")


def benchmark_actions(args: argparse.Namespace, settings: Settings) -> int:
    from devtools.benchmarks import actions

    return actions.run(settings, args.messages, Path(args.out))


def benchmark_nlg(args: argparse.Namespace, settings: Settings) -> int:
    from devtools.benchmarks import nlg

    return nlg.run(settings, args.conversations, args.direct, Path(args.out))


def benchmark_nlg_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--conversations", type=int, default=15)
    parser.add_argument("--direct", type=int, default=300, help="direct NLG requests")
    report_arguments(str(PROJECT_ROOT / "reports"))(parser)


def demo_backoffice(args: argparse.Namespace, settings: Settings) -> int:
    from devtools.demo_backoffice import server

    db = Path(args.db) if args.db else settings.backoffice_db_path
    host, port = listen(args, settings, settings.backoffice_port)
    server.serve(db, host, port, dict(settings.environ))
    return 0


def demo_backoffice_arguments(parser: argparse.ArgumentParser) -> None:
    server_arguments()(parser)
    parser.add_argument("--db", help="SQLite file (default var/demo_backoffice.db)")


def fake_sms_gateway(args: argparse.Namespace, settings: Settings) -> int:
    from devtools.fake_sms import server

    host, port = listen(args, settings, settings.sms_gateway_port)
    server.serve(host, port, args.rasa_url)
    return 0


def fake_sms_gateway_arguments(parser: argparse.ArgumentParser) -> None:
    server_arguments()(parser)
    parser.add_argument("--rasa-url", help="where to deliver inbound texts (the assistant)")


def check_sizes(args: argparse.Namespace, settings: Settings) -> int:
    from devtools.checks import sizes

    return sizes.main([])


COMMANDS = [
    Command("run", "train if needed, then start everything in the foreground", run),
    Command("train", "train the shared model if data changed", train, train_arguments),
    Command("validate", "validate councils, domain, data and stories (Rasa's validator)", validate),
    Command(
        "evaluate-nlu",
        "score the model on held-out data; fail below the quality gates",
        evaluate_nlu,
        report_arguments("reports/nlu"),
    ),
    Command(
        "evaluate-languages",
        "one bilingual NLU model or one per language: train both ways and compare",
        evaluate_languages,
        evaluate_languages_arguments,
    ),
    Command(
        "benchmark",
        "measure training, start-up, memory and latency beside Rasa's starter",
        benchmark,
        benchmark_arguments,
    ),
    Command(
        "benchmark-actions",
        "latency of an action turn against a plain text turn",
        benchmark_actions,
        report_arguments("reports/actions", messages=40),
    ),
    Command(
        "benchmark-nlg",
        "what the NLG hop costs per bot message",
        benchmark_nlg,
        benchmark_nlg_arguments,
    ),
    Command(
        "demo-backoffice",
        "run the simulator of the demo councils' back-office systems",
        demo_backoffice,
        demo_backoffice_arguments,
    ),
    Command(
        "fake-sms-gateway",
        "run the fake SMS gateway (Twilio's and Notify's APIs, a pretend phone)",
        fake_sms_gateway,
        fake_sms_gateway_arguments,
    ),
    Command("check-sizes", "no module over 400 lines, no function over 60", check_sizes),
]
