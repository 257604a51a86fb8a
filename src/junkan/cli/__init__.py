"""The ``junkan`` command line (typer + rich).

Each command group lives in its own module of this package and is registered in :data:`COMMANDS` (a new command
goes there; its module is imported only when the command runs). Exit status: 0 success,
1 findings-based failure where a command documents it, 2 bad input (a :class:`junkan.errors.JunkanInputError`,
printed as a list of problems, never a traceback).
"""

from __future__ import annotations

import os
import sys
from importlib import import_module
from typing import Any

import typer
import typer.main
from rich.markup import escape
from typer.core import TyperGroup
from typer.models import CommandInfo

from junkan.cli._common import console_err
from junkan.errors import JunkanInputError

#: Every command, in the order ``junkan --help`` lists them: name -> (module, attribute), a command function or, for
#: a group of subcommands, a Typer app. A command's module is imported only when that command runs (or ``--help``
#: lists it), so ``junkan scan`` does not load the deal ledger, pydantic or the analyses.
COMMANDS: dict[str, tuple[str, str]] = {
    "stress": ("junkan.cli.stress", "stress"),
    "cycles": ("junkan.cli.analysis", "cycles"),
    "trace": ("junkan.cli.analysis", "trace"),
    "exposure": ("junkan.cli.analysis", "exposure"),
    "circularity": ("junkan.cli.circularity", "circularity"),
    "shares": ("junkan.cli.investor", "shares"),
    "serve": ("junkan.cli.serve", "serve"),
    "assess": ("junkan.cli.assess", "assess"),
    "report": ("junkan.cli.report", "report"),
    "watch": ("junkan.cli.watch", "watch"),
    "warmup": ("junkan.cli.warmup", "warmup"),
    "deals": ("junkan.cli.deals", "app"),
    "scan": ("junkan.cli.scan", "app"),
}


class _LazyGroup(TyperGroup):
    """The top-level group: builds a command from :data:`COMMANDS` the first time it is asked for."""

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            self.commands[cmd_name] = _build(cmd_name)
        return self.commands.get(cmd_name)

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        try:
            return super().resolve_command(ctx, args)
        except Exception:
            for name in COMMANDS:  # an unknown command: load them all, so that the error suggests the closest
                self.get_command(ctx, name)
            return super().resolve_command(ctx, args)


def _build(name: str) -> Any:
    module, attr = COMMANDS[name]
    obj = getattr(import_module(module), attr)
    if isinstance(obj, typer.Typer):
        group = typer.main.get_group(obj)
        group.name = name
        return group
    return typer.main.get_command_from_info(
        CommandInfo(name=name, callback=obj),
        pretty_exceptions_short=app.pretty_exceptions_short,
        rich_markup_mode=app.rich_markup_mode,
    )


app = typer.Typer(
    name="junkan",
    help="Follow money around the loop: circular deals, round trips and contagion.",
    cls=_LazyGroup,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """Follow money around the loop: circular deals, round trips and contagion."""


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``junkan`` script.

    Exit status: 0 success; 2 bad input (:class:`JunkanInputError`, or a usage error such as an unknown option);
    1 for an unexpected internal error, printed in one line (set ``JUNKAN_DEBUG=1`` to see the traceback).
    """
    try:
        rc = app(args=argv, standalone_mode=False)
    except JunkanInputError as exc:
        console_err.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False, soft_wrap=True)
        sys.exit(2)
    except KeyboardInterrupt:
        console_err.print("aborted")
        sys.exit(130)
    except Exception as exc:
        # typer bundles its own click: recognise its exceptions by behaviour, not by class identity
        if hasattr(exc, "show") and hasattr(exc, "exit_code"):
            exc.show()
            sys.exit(exc.exit_code)
        if type(exc).__name__ == "Abort":
            console_err.print("aborted")
            sys.exit(1)
        if type(exc).__name__ == "Exit" and hasattr(exc, "exit_code"):
            sys.exit(exc.exit_code)
        if os.environ.get("JUNKAN_DEBUG"):
            raise
        console_err.print(
            f"[bold red]internal error:[/] {escape(type(exc).__name__)}: {escape(str(exc))}\n"
            "This is a bug in junkan; rerun with JUNKAN_DEBUG=1 for the traceback and please report it.",
            highlight=False,
            soft_wrap=True,
        )
        sys.exit(1)
    sys.exit(rc if isinstance(rc, int) else 0)
