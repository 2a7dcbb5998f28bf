"""The root ``orchestr-lab`` group: global options, lazy subcommands, clean errors."""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass
from typing import Any

import click

from ..core.errors import OrchestrLabError
from ..core.settings import ENV_DB_URL
from ..core.version import __version__
from ..sdk.client import ClientError

__all__ = ["COMMANDS", "CliState", "UserError", "cli", "main"]

#: Subcommands by name -> ``"package.module:click_command"``, imported on first use.
COMMANDS: dict[str, str] = {}


class UserError(click.ClickException):
    """A mistake or situation the user can fix: one line on stderr, exit 1, no traceback."""

    exit_code = 1

    def show(self, file: Any = None) -> None:
        click.echo(f"error: {self.format_message()}", err=True)


def one_line(exc: BaseException) -> str:
    """The first line of an error's message (store errors can carry SQL on later lines)."""
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


class _RootGroup(click.Group):
    """Resolves :data:`COMMANDS` lazily and turns our own errors into clean exits."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is None and cmd_name in COMMANDS:
            module, _, attr = COMMANDS[cmd_name].partition(":")
            command = getattr(importlib.import_module(module), attr)
        return command

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ClientError as exc:  # the sdk client's refusals are already worded for the user, whole
            raise UserError(str(exc)) from None
        except OrchestrLabError as exc:
            raise UserError(one_line(exc)) from exc


@dataclass
class CliState:
    """What the root options decided, handed to every command as ``ctx.obj``."""

    db_url: str | None = None

    def engine(self) -> Any:
        """The store's engine (opened, and migrated if needed, on first use)."""
        from ..store.database import get_engine

        return get_engine(self.db_url)


@click.group(
    cls=_RootGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.option(
    "--db-url",
    envvar=ENV_DB_URL,
    metavar="URL",
    help="SQLAlchemy URL of the store [env: ORCHESTR_LAB_DB_URL; default: SQLite in "
    "$ORCHESTR_LAB_HOME or <jupyter data dir>/orchestr_lab].",
)
@click.version_option(__version__, prog_name="orchestr-lab")
@click.pass_context
def cli(ctx: click.Context, db_url: str | None) -> None:
    """Workflow orchestration that lives inside Jupyter: inspect runs, manage the store."""
    if db_url:
        # Flows that later commands run in this process record into the same store.
        os.environ[ENV_DB_URL] = db_url
    ctx.obj = CliState(db_url=db_url or None)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point (``orchestr-lab`` and ``python -m orchestr_lab``)."""
    cli.main(args=argv, prog_name="orchestr-lab")
