"""What the token's holder gives start_session.py: a bundle file, or the environment, or a prompt.

Precedence: flag > environment (KALTURA_APP_TOKEN_ID ... ) > bundle > default. The token value is
never taken from the command line.
"""
from __future__ import annotations

import getpass
import json
import os
import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .config import DEFAULTS, check_service_url
from .errors import SettingsError, UsageError
from .sessions import AUTO_ORDER, check_token_value

HASH_CHOICES = AUTO_ORDER + ("auto",)


@dataclass
class HolderInputs:
    token_id: str
    token: str = field(repr=False)
    partner_id: int
    service_url: str
    hash_type: str
    bound_user: str | None
    warnings: list[str] = field(default_factory=list)


def read_bundle(path: str) -> dict[str, Any]:
    file = Path(path)
    try:
        data = json.loads(file.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise UsageError(f"--bundle {path} does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"--bundle {path} cannot be read: {exc.__class__.__name__}") from None
    except json.JSONDecodeError as exc:
        raise UsageError(f"--bundle {path} is not JSON (line {exc.lineno}); give the file create_token.py --save "
                         "wrote") from None
    if not isinstance(data, dict) or "id" not in data or "token" not in data:
        raise UsageError(f"--bundle {path} has no token id and token; give the file create_token.py --save wrote")
    return data


def gather(bundle_path: str | None, token_id: str | None, partner_id: int | None, service_url: str | None,
           hash_type: str | None, interactive: bool | None = None) -> HolderInputs:
    bundle = read_bundle(bundle_path) if bundle_path else {}
    warnings = []
    if bundle_path and os.stat(bundle_path).st_mode & (stat.S_IRGRP | stat.S_IROTH):
        warnings.append(f"{bundle_path} can be read by other users of this computer; run: chmod 600 {bundle_path}")
    problems: list[str] = []
    token_id = token_id or os.environ.get("KALTURA_APP_TOKEN_ID") or bundle.get("id")
    if not token_id:
        problems.append("no token id: give --bundle FILE or --token-id ID")
    token = os.environ.get("KALTURA_APP_TOKEN") or bundle.get("token")
    if not token:
        if interactive if interactive is not None else sys.stdin.isatty():
            token = getpass.getpass("App token value (input hidden): ")
        else:
            problems.append("no token value: set KALTURA_APP_TOKEN or give --bundle FILE (it is never taken "
                            "from the command line)")
    pid = partner_id if partner_id is not None else os.environ.get("KALTURA_PARTNER_ID") or bundle.get("partnerId")
    if isinstance(pid, str) and pid.strip().isdigit():
        pid = int(pid)
    if isinstance(pid, bool) or not isinstance(pid, int) or pid <= 0:
        problems.append("no partner id: set KALTURA_PARTNER_ID, --partner-id, or give --bundle FILE")
        pid = 0
    url = check_service_url(service_url or os.environ.get("KALTURA_SERVICE_URL") or bundle.get("serviceUrl")
                            or DEFAULTS["service_url"], problems)
    kind = (hash_type or os.environ.get("KALTURA_APP_TOKEN_HASH_TYPE") or bundle.get("hashType") or "auto")
    kind = kind if kind == "auto" else str(kind).upper()
    if kind not in HASH_CHOICES:
        problems.append(f"hash type {kind!r} must be one of {', '.join(HASH_CHOICES)}")
    if token:
        try:
            token = check_token_value(str(token))
        except UsageError as exc:
            problems.append(str(exc))
    if problems:
        raise SettingsError(problems, "the holder's inputs")
    return HolderInputs(token_id=str(token_id).strip(), token=token, partner_id=pid, service_url=url,
                        hash_type=kind, bound_user=bundle.get("sessionUserId"), warnings=warnings)
