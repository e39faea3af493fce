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
from devtools.supervisor.services import assistant_services
from devtools.supervisor.stack import Stack
from devtools.training import newest_model, train


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments and run one command; returns the process exit code."""
    parser = argparse.ArgumentParser(prog="python -m assistant", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("councils", help="validate and list the configured councils")
    commands.add_parser(
        "validate", help="validate councils, domain, data and stories (Rasa's validator)"
    )
    train_parser = commands.add_parser("train", help="train the shared model if data changed")
    train_parser.add_argument("--force", action="store_true", help="train even if unchanged")
    commands.add_parser("run", help="train if needed, then start everything in the foreground")
    evaluate_parser = commands.add_parser(
        "evaluate-nlu", help="score the model on held-out data; fail below the quality gates"
    )
    evaluate_parser.add_argument("--out", default="reports/nlu", help="report directory")
    bench_parser = commands.add_parser(
        "benchmark", help="measure training, start-up, memory and latency beside Rasa's starter"
    )
    bench_parser.add_argument("--messages", type=int, default=50, help="timed messages per bot")
    bench_parser.add_argument("--out", default="reports", help="report directory")
    from assistant.staff import commands as staff_commands

    staff_commands.add_parser(commands)
    actions_parser = commands.add_parser(
        "actions", help="run the action server for one council (or the council-free one)"
    )
    actions_parser.add_argument("--council", help="council id; omit for the council-free server")
    actions_parser.add_argument("--host", default="localhost")
    actions_parser.add_argument(
        "--port", type=int, help="default: the port of action_server.url in council.yml"
    )
    router_parser = commands.add_parser("router", help="run the action router (Rasa's endpoint)")
    router_parser.add_argument("--host", default="localhost")
    router_parser.add_argument("--port", type=int, default=5055)
    demo_parser = commands.add_parser(
        "demo-backoffice", help="run the simulator of the demo councils' back-office systems"
    )
    demo_parser.add_argument("--host", default="localhost")
    demo_parser.add_argument("--port", type=int, default=5070)
    demo_parser.add_argument("--db", help="SQLite file (default var/demo_backoffice.db)")
    bench_actions_parser = commands.add_parser(
        "benchmark-actions", help="latency of an action turn against a plain text turn"
    )
    bench_actions_parser.add_argument("--messages", type=int, default=40)
    bench_actions_parser.add_argument("--out", default="reports/actions")
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
        if args.command == "councils":
            return list_councils()
        if args.command == "validate":
            return validate()
        if args.command == "train":
            train(settings, force=args.force)
            return 0
        if args.command == "run":
            return run(settings)
        if args.command == "staff":
            return staff_commands.run(args, settings)
        if args.command in ("actions", "router", "demo-backoffice", "benchmark-actions"):
            return run_backoffice_command(args, settings)
        if args.command == "evaluate-nlu":
            return evaluate_nlu(settings, Path(args.out))
        if args.command == "benchmark":
            from devtools.benchmarks import starter as benchmark

            return benchmark.run(settings, args.messages, Path(args.out))
    except (CouncilConfigError, ValueError, FileNotFoundError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    parser.error(f"unknown command {args.command}")
    return 2


def run_backoffice_command(args: argparse.Namespace, settings: Settings) -> int:
    """The action servers, the router, the demo back-office and their benchmark."""
    import os

    if args.command == "actions":
        from assistant.routing import action_server

        return action_server.serve(args.council, args.port, args.host, os.environ)
    if args.command == "router":
        from assistant.routing import router

        router.serve(args.host, args.port)
        return 0
    if args.command == "demo-backoffice":
        from devtools.demo_backoffice import server

        db = Path(args.db) if args.db else settings.backoffice_db_path
        server.serve(db, args.host, args.port, os.environ)
        return 0
    from devtools.benchmarks import actions as benchmark_actions

    return benchmark_actions.run(settings, args.messages, Path(args.out))


def validate() -> int:
    """Validate the councils and the Rasa project; print every problem found."""
    from devtools.validation import validate_project

    list_councils()
    problems = validate_project()
    for problem in problems:
        print(f"PROBLEM: {problem}", file=sys.stderr)
    print("Project is valid." if not problems else f"{len(problems)} problem(s) found.")
    return 1 if problems else 0


def list_councils() -> int:
    """Print each configured council; fails with the first configuration problem."""
    from assistant.rasa_plugins.channels.sms_config import SmsDirectory
    from assistant.web.server import brand_colour

    registry = CouncilRegistry.load()
    SmsDirectory.from_registry(registry)  # SMS numbers and secret variable names
    for council in registry:
        brand_colour(council)  # the web page's colour
        areas = ", ".join(council.postcode_areas)
        print(f"{council.id:<16} {council.name}  (postcode areas: {areas})")
    return 0


def evaluate_nlu(settings: Settings, out_dir: Path) -> int:
    """Evaluate the newest model on the held-out sets and check the quality gates."""
    from devtools import evaluation

    report, predictions, oos = evaluation.evaluate(newest_model(settings.models_dir))
    path = evaluation.write_report(report, predictions, oos, out_dir)
    print(
        f"NLU held-out: intent macro-F1 {report.macro_f1:.3f}, accuracy {report.accuracy:.3f}; "
        f"out-of-scope false-accept rate {report.oos_false_accept_rate:.3f} "
        f"({report.oos_false_accepts}/{report.oos_total}); crisis recall "
        f"{report.crisis.recall:.3f}, precision {report.crisis.precision:.3f}. Report: {path}"
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
    from assistant.staff.commands import demo_accounts

    staff_passwords = demo_accounts(settings, CouncilRegistry.load())
    stack = Stack(assistant_services(settings, PROJECT_ROOT / "endpoints.yml"))

    def stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)  # Ctrl-C, even where the shell ignored SIGINT
    try:
        stack.start()
        print(
            "\nThe council assistant is running. Ctrl-C stops everything.\n"
            f"  REST channel:  POST {settings.rasa_url}/webhooks/rest/webhook\n"
            '                 {"sender": "me", "message": "hello", '
            '"metadata": {"council": "brackenbury"}}\n'
            f"  Action router: {settings.actions_url}/webhook (one action server per council)\n"
            f"  Demo back-office: {settings.backoffice_url}/\n",
            flush=True,
        )
        print(
            f"  Staff site:    {settings.staff_url}/  (change each council's answers)\n"
            "                 demo sign-ins, new passwords every start (shown once):\n"
            + "".join(
                f"                   {user:<18} {pw}\n" for user, pw in staff_passwords.items()
            ),
            flush=True,
        )
        print(channel_addresses(settings), flush=True)
        return stack.wait()
    except KeyboardInterrupt:
        print("\nStopping...", flush=True)
        return 0
    finally:
        stack.stop()


def channel_addresses(settings: Settings) -> str:
    """Where residents reach the assistant: each council's web page and SMS webhooks."""
    from assistant.rasa_plugins.channels.sms_config import SmsDirectory

    pages = "".join(
        f"                   {council.name}: {settings.web_url}/{council.id}/\n"
        for council in CouncilRegistry.load()
    )
    numbers = "".join(
        f"                   {gateway:<7} {number}  {account.council.name}\n"
        for (gateway, number), account in sorted(
            SmsDirectory.from_registry(CouncilRegistry.load()).accounts.items()
        )
    )
    return (
        "  Web chat (council pages with the rasa-webchat widget):\n"
        + pages
        + f"  SMS webhooks:  POST {settings.rasa_url}/webhooks/sms_twilio/webhook (Twilio)\n"
        + f"                 POST {settings.rasa_url}/webhooks/sms_notify/webhook (GOV.UK Notify)\n"
        + "                 numbers (council.yml):\n"
        + numbers
        + f"  Fake SMS gateway: {settings.sms_gateway_url}/_fake/  (a pretend phone: text the\n"
        + "                 assistant; replies go to the fake, never to a real phone)\n"
    )
