"""The ``kgr`` command line: Typer commands that parse arguments and call library functions.

Commands are grouped by stage in the modules of this package; each module has a
``register(app)`` function that adds its commands.
"""

from __future__ import annotations

import sys

import typer
from rich.console import Console
from rich.markup import escape

from kg_reasoner.errors import KGReasonerError

app = typer.Typer(
    name="kgr",
    help="kg_reasoner: build knowledge graphs from text, query them, and train graph+LM reasoners.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",
)
err_console = Console(stderr=True)


def _register_all() -> None:
    from kg_reasoner.cli import (
        extraction_commands,
        graph_commands,
        qa_commands,
        reasoning_commands,
        training_commands,
    )

    modules = (
        graph_commands,
        training_commands,
        extraction_commands,
        reasoning_commands,
        qa_commands,
    )
    for module in modules:
        module.register(app)


_register_all()


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: library errors become a one-line message and exit code 2."""
    try:
        code = app(args=argv, standalone_mode=False)
        if code == 130:  # Typer turns KeyboardInterrupt into exit code 130 in this mode
            err_console.print("[yellow]interrupted[/]: everything committed so far is kept.")
        if isinstance(code, int) and code:
            sys.exit(code)
    except KGReasonerError as exc:
        # one line however narrow the terminal (soft wrap), the message never read as markup
        message = f"[bold red]error:[/] {escape(str(exc))}"
        err_console.print(message, highlight=False, soft_wrap=True)
        sys.exit(2)
    except KeyboardInterrupt:
        err_console.print("[yellow]interrupted[/]: everything committed so far is kept.")
        sys.exit(130)
    except SystemExit:
        raise
    except Exception as exc:  # click usage errors arrive here in non-standalone mode
        import click

        if isinstance(exc, click.exceptions.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        if isinstance(exc, click.exceptions.Abort):
            sys.exit(1)
        raise
