"""The ``junkan`` command line (typer + rich).

Each command group lives in its own module of this package and is registered here. Exit status: 0 success,
1 findings-based failure where a command documents it, 2 bad input (a :class:`junkan.errors.JunkanInputError`,
printed as a list of problems, never a traceback).
"""

from __future__ import annotations

import sys

import typer

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
    from junkan.cli import scan

    app.add_typer(scan.app, name="scan")
    from junkan.cli import serve

    app.command("serve")(serve.serve)
    from junkan.cli import assess

    app.command("assess")(assess.assess)


_register()


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``junkan`` script: run the app, turning bad input into exit status 2."""
    try:
        app(args=argv, standalone_mode=False)
    except JunkanInputError as exc:
        console_err.print(f"[bold red]error:[/] {exc}", highlight=False, markup=True, soft_wrap=True)
        sys.exit(2)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        console_err.print("aborted")
        sys.exit(1)
    except Exception as exc:  # click usage errors come through here in non-standalone mode
        import click

        if isinstance(exc, click.exceptions.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        raise
