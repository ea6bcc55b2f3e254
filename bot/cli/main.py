"""`aftercare`: the therapist's and clinic's command line, and `aftercare run` for the product."""

from __future__ import annotations

import logging
import sys
from typing import TextIO

import typer
from pydantic import ValidationError
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from bot.cli import (
    alerts,
    chat,
    client,
    clinic,
    crisis_lines,
    db,
    returns,
    screeners,
    staff_accounts,
    web,
)
from bot.cli.common import CliError, settings_of
from bot.config import MissingTokenError, Settings
from bot.errors import InvalidInput, NotFound
from bot.logs import install_redaction
from bot.nlu.cli import app as nlu_app
from bot.plan.schema import PlanFileError
from bot.telegram.identity import UsernameUnavailable

app = typer.Typer(
    help="aftercare: check-ins, plans and alerts for clients after therapy.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(db.app, name="db")
app.add_typer(clinic.app, name="clinic")
app.add_typer(clinic.staff_app, name="staff")
app.add_typer(client.app, name="client")
app.add_typer(client.checkin_app, name="checkin")
app.add_typer(alerts.app, name="alerts")
app.add_typer(returns.app, name="return")
app.add_typer(nlu_app, name="nlu", help="Understanding what clients write.")
app.add_typer(web.app, name="web")
app.add_typer(screeners.app, name="screeners")
app.command("chat")(chat.chat)
alerts.link_code_commands(clinic.app, clinic.staff_app)
staff_accounts.register(clinic.staff_app)
crisis_lines.register(clinic.app)


LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(settings: Settings, stream: TextIO | None = None) -> None:
    """Log at LOG_LEVEL to stderr (or `stream`), never showing the bot token (or webhook secret).

    The redaction filter goes on every root handler, including ones configured before us, so
    httpx's and PTB's DEBUG lines (request URLs hold the token) are safe at any level.
    """
    logging.basicConfig(level=settings.log_level.upper(), format=LOG_FORMAT, stream=stream)
    secrets = (settings.telegram_bot_token, settings.webhook_secret)
    install_redaction(
        logging.getLogger().handlers, [s.get_secret_value() for s in secrets if s is not None]
    )
    # Unless debugging: migration chatter is noise in a command's output, and every long poll
    # would log a line.
    quiet = logging.getLogger().level > logging.DEBUG
    for name in ("alembic", "httpx"):
        logging.getLogger(name).setLevel(logging.WARNING if quiet else logging.NOTSET)


@app.callback()
def main(ctx: typer.Context) -> None:
    """Settings come from the environment and .env (see README)."""
    ctx.obj = Settings()
    configure_logging(ctx.obj)


@app.command("run")
def run_product(ctx: typer.Context) -> None:
    """Run the bot and the scheduler in one process (the main job)."""
    from bot.runtime import Runtime

    settings = settings_of(ctx)
    settings.require_token()
    Runtime(settings).run_forever()


def _first_settings_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    field = ".".join(str(p) for p in error["loc"]).upper()
    return f"setting {field}: {error['msg']}"


def run_cli(argv: list[str] | None = None) -> None:
    """Entry point: every expected failure is one line on stderr and a non-zero exit."""
    try:
        app(args=argv, standalone_mode=True)
    except (CliError, NotFound, InvalidInput, PlanFileError, MissingTokenError) as exc:
        _fail(str(exc))
    except UsernameUnavailable as exc:
        _fail(str(exc))
    except ValidationError as exc:
        _fail(_first_settings_error(exc))
    except OperationalError as exc:
        _fail(f"cannot use the database: {exc.orig}")
    except SQLAlchemyError as exc:
        _fail(f"database error: {exc}")


def _fail(message: str) -> None:
    typer.secho(f"error: {message}", err=True, fg=typer.colors.RED)
    sys.exit(2)
