"""The ``junkan`` command line (typer + rich).

Each command group lives in its own module of this package and is registered here. Exit status: 0 success,
1 findings-based failure where a command documents it, 2 bad input (a :class:`junkan.errors.JunkanInputError`,
printed as a list of problems, never a traceback).
"""

from __future__ import annotations

import os
import sys

import typer
from rich.markup import escape

from junkan.cli._common import console_err
from junkan.errors import JunkanInputError

app = typer.Typer(
    name="junkan",
    help="Follow money around the loop: circular deals, round trips and contagion.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _register() -> None:
    from junkan.cli import analysis, deals

    app.add_typer(deals.app, name="deals")
    from junkan.cli import stress

    app.command("stress")(stress.stress)
    app.command("cycles")(analysis.cycles)
    app.command("trace")(analysis.trace)
    app.command("exposure")(analysis.exposure)
    from junkan.cli import circularity

    app.command("circularity")(circularity.circularity)
    from junkan.cli import investor

    app.command("shares")(investor.shares)
    from junkan.cli import scan

    app.add_typer(scan.app, name="scan")
    from junkan.cli import serve

    app.command("serve")(serve.serve)
    from junkan.cli import assess

    app.command("assess")(assess.assess)
    from junkan.cli import report

    app.command("report")(report.report)
    from junkan.cli import watch

    app.command("watch")(watch.watch)
    from junkan.cli import warmup

    app.command("warmup")(warmup.warmup)


_register()


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
