"""What every script shares: common flags, the connection, and the one place errors become exit codes."""
from __future__ import annotations

import argparse
import contextlib
import os
import sys
import traceback
from pathlib import Path
from typing import Any, Callable, Iterator

from . import demo, output, tokens
from .client import Api, Target
from .config import SCRIPTS_DIR, Settings, find_settings, load
from .errors import Interrupted, ToolError, scrub
from .tokens import Plan


def parser(doc: str, admin: bool = True) -> argparse.ArgumentParser:
    """A parser with the module docstring as description and the shared flags."""
    p = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    if admin:
        p.add_argument("--settings", metavar="PATH", help="settings file (default: $KALTURA_SETTINGS, "
                       "./settings.py, settings.py beside the scripts)")
        p.add_argument("--partner-id", type=int, help="partner id (overrides KALTURA_PARTNER_ID and settings.py)")
        p.add_argument("--service-url", help="API host, without /api_v3 (overrides KALTURA_SERVICE_URL)")
        p.add_argument("--user-id", dest="userId", help="admin user recorded in the admin session")
        p.add_argument("--sandbox", action="store_true", help="run against a local stand-in server "
                       "(state in .sandbox/); nothing reaches Kaltura")
    p.add_argument("--json", action="store_true", help="print one JSON document on stdout")
    p.add_argument("--debug", action="store_true", help="show tracebacks (secrets hidden)")
    return p


def say(message: str) -> None:
    """Progress and notes: stderr, so stdout stays the result."""
    print(message, file=sys.stderr)


def warn(message: str) -> None:
    say(f"warning: {message}")


def run(body: Callable[[], int], debug: bool = False) -> int:
    """The one place exceptions become a message and an exit code."""
    debug = debug or os.environ.get("KALTURA_DEBUG") == "1"
    try:
        return body()
    except KeyboardInterrupt:
        say("interrupted")
        return Interrupted.exit_code
    except ToolError as exc:
        if debug:
            say(scrub(traceback.format_exc()))
        say(f"error: {exc}")
        return exc.exit_code
    except Exception as exc:  # a bug of ours: say so without showing internals
        if debug:
            say(scrub(traceback.format_exc()))
            say(f"error: unexpected {type(exc).__name__}")
        else:
            say(f"error: unexpected {type(exc).__name__}: {scrub(str(exc))} (run again with --debug for details)")
        return 1


def flags(args: argparse.Namespace) -> dict[str, Any]:
    return {"partner_id": getattr(args, "partner_id", None), "service_url": getattr(args, "service_url", None),
            "userId": getattr(args, "userId", None)}


@contextlib.contextmanager
def admin_session(args: argparse.Namespace, for_create: bool = False) -> Iterator[tuple[Settings, Api]]:
    """Settings checked, then an Api signed in as the partner admin; with --sandbox, a local server."""
    if not getattr(args, "sandbox", False):
        settings = load(args.settings, flags(args), for_create=for_create)
        for warning in settings.warnings:
            warn(warning)
        yield settings, Api(target_of(settings))
        return
    path = find_settings(args.settings) or SCRIPTS_DIR / "settings.example.py"
    probe = load(path=Path(path), flags=flags(args), override={"admin_secret": "0" * 32,
                 "service_url": "http://127.0.0.1"}, for_create=for_create, interactive=False)
    sandbox = demo.start(probe.partner_id)
    try:
        settings = load(path=Path(path), flags=flags(args), override={
            "admin_secret": sandbox.admin_secret, "service_url": sandbox.service_url}, for_create=for_create,
            interactive=False)
        say(f"sandbox: partner {settings.partner_id} at {sandbox.service_url} (state in {demo.state_dir()}); "
            f"settings from {path}")
        for warning in settings.warnings:
            warn(warning)
        yield settings, Api(target_of(settings))
    finally:
        sandbox.stop()


def create_and_save(api: Api, plan: Plan, settings: Settings, save: str | None, force: bool
                    ) -> tuple[dict[str, Any], dict[str, Any]]:
    """Create exactly once, say how it went, and write the holder's bundle (mode 0600) when asked."""
    created = tokens.create_once(api, plan)
    for note in created.notes:
        say(note)
    bundle = tokens.bundle(created.token, settings.service_url)
    if save:
        output.write_private(save, output.to_json(bundle) + "\n", force)
        say(f"saved the holder's bundle to {save} (mode 0600)")
    return created.token, bundle


def target_of(settings: Settings) -> Target:
    return Target(service_url=settings.service_url, partner_id=settings.partner_id,
                  request_timeout=settings.request_timeout, admin_secret=settings.admin_secret,
                  user_id=settings.userId, admin_session=settings.admin_session)
