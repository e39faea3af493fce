"""The project's command line: `python -m assistant <command>`.

Every service and tool is one `Command`: the runtime's in COMMANDS below, the
development tools' in `devtools.commands.COMMANDS`, loaded by name only when the
repository's development tooling is present (it is not shipped with the runtime).
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from assistant.councils import CouncilConfigError, CouncilRegistry
from assistant.settings import PROJECT_ROOT, Settings

DEV_COMMANDS = "devtools.commands"
NOT_INSTALLED = "development tooling not installed (use a clone of the repository)"

Runner = Callable[[argparse.Namespace, Settings], int]
Arguments = Callable[[argparse.ArgumentParser], None]


def no_arguments(parser: argparse.ArgumentParser) -> None:
    """For a command that takes no arguments."""


@dataclass(frozen=True)
class Command:
    """One `python -m assistant <name>` command: its arguments and what it runs."""

    name: str
    help: str
    run: Runner
    arguments: Arguments = no_arguments


def server_arguments(port_help: str = "default: from the settings") -> Arguments:
    """--host and --port for a server; unset, the command takes them from the settings."""

    def add(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--host", help="default: ASSISTANT_HOST or localhost")
        parser.add_argument("--port", type=int, help=port_help)

    return add


def listen(args: argparse.Namespace, settings: Settings, port: int) -> tuple[str, int]:
    """(host, port) from --host and --port, else ASSISTANT_HOST and `port`."""
    return args.host or settings.host, args.port or port


def answers_server_arguments(parser: argparse.ArgumentParser) -> None:
    """The NLG server's and the staff site's: where they listen and their database."""
    server_arguments()(parser)
    parser.add_argument("--db-url", help="the answers database (default: from the settings)")
    parser.add_argument("--domain", type=Path, default=PROJECT_ROOT / "domain.yml")


def staff_site_arguments(parser: argparse.ArgumentParser) -> None:
    answers_server_arguments(parser)
    parser.add_argument(
        "--secure-cookies",
        action="store_true",
        help="mark cookies Secure (default: the settings, else Secure unless on localhost)",
    )


def configure_logging(settings: Settings) -> None:
    """Log at the settings' level (LOG_LEVEL, default WARNING) to standard error."""
    logging.basicConfig(
        level=settings.log_level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )


def list_councils(args: argparse.Namespace, settings: Settings) -> int:
    """Validate every council.yml (its schema, then the rules across councils) and print
    each council; CouncilConfigError names the file and key of every problem."""
    from assistant.councils.schema import schema_text

    registry = CouncilRegistry.load(settings.councils_dir)
    for council in registry:
        services = ", ".join(council.services)
        print(f"{council.id:<16} {council.name}  ({council.tier} {council.gss_code}: {services})")
    schema_path = getattr(args, "schema", None)
    if schema_path is not None:
        schema_path.write_text(schema_text(), encoding="utf-8")
        print(f"JSON Schema written to {schema_path}")
    return 0


def councils_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--schema", type=Path, metavar="PATH", help="also write council.yml's JSON Schema to PATH"
    )


def council(args: argparse.Namespace, settings: Settings) -> int:
    """`council new <id>`: scaffold a council's folder and say what is left to do."""
    from assistant.councils.scaffold import NewCouncil, scaffold

    new = NewCouncil(
        id=args.id,
        name=args.name or f"{args.id.replace('-', ' ').title()} Council",
        gss_code=args.gss_code,
        tier=args.tier,
        services=[s.strip() for s in args.services.split(",") if s.strip()],
        county_gss_code=args.county_gss_code,
        website=args.website,
        languages=[code.strip() for code in args.languages.split(",") if code.strip()],
        welsh_name=args.welsh_name,
    )
    folder, todo = scaffold(new, settings.councils_dir)
    print(f"Created {folder}/council.yml, answers.yml and demo.yml. Left to fill in:")
    print("\n".join(f"  - {item}" for item in todo))
    print("Then: python -m assistant councils (validates), and restart (make run).")
    return 0


def council_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=["new"])
    parser.add_argument("id", help="the council's id (its folder name), like 'ashcombe'")
    parser.add_argument("--name", help="its full name (default: from the id)")
    parser.add_argument("--gss-code", required=True, help="its ONS GSS code, like E07000111")
    parser.add_argument("--tier", required=True, help="unitary, district, county, ...")
    parser.add_argument("--services", required=True, help="comma-separated, like waste,planning")
    parser.add_argument("--county-gss-code", help="a district's county")
    parser.add_argument("--website", help="https://... (default: a placeholder)")
    parser.add_argument(
        "--languages", default="en", help="en, or cy,en for a bilingual Welsh council"
    )
    parser.add_argument("--welsh-name", help="its name in Welsh (with --languages cy,en)")


def actions(args: argparse.Namespace, settings: Settings) -> int:
    """One council's action server, or the council-free one."""
    from assistant.routing import action_server

    host = args.host or settings.host
    return action_server.serve(args.council, args.port, host, settings.environ)


def actions_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--council", help="council id; omit for the council-free server")
    server_arguments(port_help="default: the port of action_server.url in council.yml")(parser)


def router(args: argparse.Namespace, settings: Settings) -> int:
    """The action router in front of the action servers (Rasa's action endpoint)."""
    from assistant.routing import router as action_router

    action_router.serve(*listen(args, settings, settings.actions_port), settings)
    return 0


def nlg(args: argparse.Namespace, settings: Settings) -> int:
    """The NLG server: every bot response, per council and channel."""
    from assistant.answers import server

    configure_logging(settings)
    host, port = listen(args, settings, settings.nlg_port)
    db_url = args.db_url or settings.answers_db_url
    return server.serve(host, port, db_url, args.domain, settings)


def staff_site(args: argparse.Namespace, settings: Settings) -> int:
    """The staff site where council staff change their council's answers."""
    from assistant.staff import server

    configure_logging(settings)
    host, port = listen(args, settings, settings.staff_port)
    db_url = args.db_url or settings.answers_db_url
    setting = True if args.secure_cookies else settings.staff_secure_cookies
    secure = server.secure_cookies(host, setting)
    return server.serve(host, port, db_url, args.domain, secure, settings)


def web(args: argparse.Namespace, settings: Settings) -> int:
    """The demo council pages with the web chat widget."""
    from assistant.web import server

    host, port = listen(args, settings, settings.web_port)
    return server.serve(host, port, args.rasa_url or settings.rasa_url)


def web_arguments(parser: argparse.ArgumentParser) -> None:
    server_arguments()(parser)
    parser.add_argument("--rasa-url", help="where the widget finds Rasa (default: settings)")


def fork_server(args: argparse.Namespace, settings: Settings) -> int:
    """The fork server the stack starts its Python services from (issue 14)."""
    from assistant import forkserver

    return forkserver.serve(args.socket, args.entry)


def fork_server_arguments(parser: argparse.ArgumentParser) -> None:
    from assistant.forkserver import ENTRY  # standard library only until it serves

    parser.add_argument("--socket", type=Path, required=True, help="its Unix socket")
    parser.add_argument("--entry", default=ENTRY, help="module:function a child runs (tests)")


def staff(args: argparse.Namespace, settings: Settings) -> int:
    """Manage the staff site's accounts."""
    from assistant.staff import commands

    return commands.run(args, settings)


def staff_arguments(parser: argparse.ArgumentParser) -> None:
    from assistant.staff import commands

    commands.add_arguments(parser)


def db(args: argparse.Namespace, settings: Settings) -> int:
    """Migrate the answers, staff and SMS databases, or show their revision."""
    from assistant.migrations import commands

    return commands.run(args, settings)


def db_arguments(parser: argparse.ArgumentParser) -> None:
    from assistant.migrations import commands

    commands.add_arguments(parser)


def privacy(args: argparse.Namespace, settings: Settings) -> int:
    """Residents' data: purge what is past retention, erase or export one resident's."""
    from assistant.privacy import commands

    return commands.run(args, settings)


def privacy_arguments(parser: argparse.ArgumentParser) -> None:
    from assistant.privacy import commands

    commands.add_arguments(parser)


def insight(args: argparse.Namespace, settings: Settings) -> int:
    """Bring the staff site's insight summary up to date (issue 15)."""
    from assistant.insight import commands

    return commands.run(args, settings)


def insight_arguments(parser: argparse.ArgumentParser) -> None:
    from assistant.insight import commands

    commands.add_arguments(parser)


COMMANDS = [
    Command(
        "councils",
        "validate (schema and rules across councils) and list the councils",
        list_councils,
        councils_arguments,
    ),
    Command("council", "council new <id>: scaffold a new council", council, council_arguments),
    Command(
        "actions",
        "run one council's action server (or the council-free one)",
        actions,
        actions_arguments,
    ),
    Command("router", "run the action router (Rasa's action endpoint)", router, server_arguments()),
    Command("nlg", "run the NLG server (every bot response)", nlg, answers_server_arguments),
    Command(
        "staff-site", "run the staff site (councils' answers)", staff_site, staff_site_arguments
    ),
    Command("staff", "manage staff site accounts", staff, staff_arguments),
    Command(
        "fork-server",
        "fork the stack's Python services from one preloaded process",
        fork_server,
        fork_server_arguments,
    ),
    Command("web", "serve the demo council pages with the web chat", web, web_arguments),
    Command("db", "migrate the answers, staff and SMS databases", db, db_arguments),
    Command(
        "privacy",
        "residents' data: purge past retention, erase or export one resident's",
        privacy,
        privacy_arguments,
    ),
    Command(
        "insight",
        "count new conversations for the staff site's insight",
        insight,
        insight_arguments,
    ),
]


def dev_commands() -> list[Command] | None:
    """The development tools' commands, or None where devtools is not installed."""
    try:
        module = importlib.import_module(DEV_COMMANDS)
    except ModuleNotFoundError as error:
        if error.name is None or not (DEV_COMMANDS + ".").startswith(error.name + "."):
            raise  # devtools is there but something it needs is missing
        return None
    return list(module.COMMANDS)


def make_parser(commands: Sequence[Command], dev_installed: bool) -> argparse.ArgumentParser:
    """The argument parser with one subcommand per command."""
    epilog = None if dev_installed else f"Development commands: {NOT_INSTALLED}."
    parser = argparse.ArgumentParser(
        prog="python -m assistant",
        description="Every service and tool of the assistant.",
        epilog=epilog,
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="<command>")
    for command in commands:
        command.arguments(subparsers.add_parser(command.name, help=command.help))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments and run one command; returns the process exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    dev = dev_commands()
    commands = {command.name: command for command in [*COMMANDS, *(dev or [])]}
    wanted = next((arg for arg in argv if not arg.startswith("-")), None)
    if dev is None and wanted is not None and wanted not in commands:
        print(f"error: {wanted!r} is not a runtime command: {NOT_INSTALLED}", file=sys.stderr)
        return 2
    args = make_parser(list(commands.values()), dev is not None).parse_args(argv)
    try:
        return commands[args.command].run(args, Settings.from_env())
    except (CouncilConfigError, ValueError, FileNotFoundError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
