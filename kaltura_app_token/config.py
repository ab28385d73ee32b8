"""settings.py: found, loaded by path, overridden by the environment and flags, checked all at once.

Precedence, for every key that has them: command-line flag > environment variable >
settings.py > default. The admin secret is never taken from the command line.
"""
from __future__ import annotations

import difflib
import getpass
import importlib.util
import ipaddress
import os
import re
import stat
import sys
import urllib.parse
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from . import privileges
from .errors import SettingsError, UsageError, register_secret
from .expiry import parse_expiry

SCRIPTS_DIR = Path(__file__).resolve().parent.parent
ENV = {"partner_id": "KALTURA_PARTNER_ID", "admin_secret": "KALTURA_ADMIN_SECRET",
       "service_url": "KALTURA_SERVICE_URL", "userId": "KALTURA_USER_ID"}
DEFAULTS: dict[str, Any] = {
    "userId": "", "service_url": "https://www.kaltura.com", "role_name": "", "role_id": None,
    "privacy_context": "", "apptoken_user": "", "hash_type": "SHA256", "session_type": "USER",
    "session_duration": 86400, "description": None, "extra_privileges": "", "request_timeout": 30,
    "admin_session": "local",
}
KEYS = set(DEFAULTS) | {"partner_id", "admin_secret", "token_expiry"}
HASH_TYPES = ("MD5", "SHA1", "SHA256", "SHA512")
SESSION_TYPES = {"USER": 0, "ADMIN": 2}
PUSER_ID = re.compile(r"^[A-Za-z0-9,!#$%&'*+?^_`{|}~.@-]{1,320}$")
SECRET = re.compile(r"^[0-9a-fA-F]{32}$")
ROLE_REF = re.compile(r"^[A-Za-z0-9_.-]+$")


@dataclass
class Settings:
    partner_id: int
    admin_secret: str = field(repr=False)
    service_url: str
    userId: str
    role_name: str
    role_id: str | None
    privacy_context: str
    token_expiry: int | None
    apptoken_user: str
    hash_type: str
    session_type: str
    session_duration: int
    description: str | None
    extra_privileges: str
    request_timeout: float
    admin_session: str
    source: str = ""
    warnings: list[str] = field(default_factory=list)

    def with_changes(self, **changes: Any) -> "Settings":
        return replace(self, **changes)


def find_settings(flag: str | None) -> Path | None:
    """--settings, $KALTURA_SETTINGS, ./settings.py, settings.py beside the scripts."""
    if flag:
        return Path(flag)
    if os.environ.get("KALTURA_SETTINGS"):
        return Path(os.environ["KALTURA_SETTINGS"])
    for candidate in (Path.cwd() / "settings.py", SCRIPTS_DIR / "settings.py"):
        if candidate.is_file():
            return candidate
    return None


def read_file(path: Path) -> dict[str, Any]:
    """The module's lower-case and known names, executed from its path (not from sys.path)."""
    if not path.is_file():
        raise UsageError(f"settings file {path} does not exist; copy settings.example.py to settings.py "
                         "and fill it in, or name another file with --settings")
    spec = importlib.util.spec_from_file_location("kaltura_settings", path)
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except SyntaxError as exc:
        raise UsageError(f"{path} line {exc.lineno}: {exc.msg}; it must be valid Python "
                         "(compare with settings.example.py)") from None
    except Exception as exc:
        raise UsageError(f"{path} could not be run: {type(exc).__name__} "
                         f"(line {_line_of(exc, path)}); it must only assign values") from None
    return {k: v for k, v in vars(module).items()
            if not k.startswith("_") and not callable(v) and type(v).__name__ != "module"}


def _line_of(exc: BaseException, path: Path) -> str:
    tb = exc.__traceback__
    line = "?"
    while tb is not None:
        if Path(tb.tb_frame.f_code.co_filename) == path:
            line = str(tb.tb_lineno)
        tb = tb.tb_next
    return line


def _file_warnings(path: Path) -> list[str]:
    try:
        mode = path.stat().st_mode
    except OSError:
        return []
    if mode & (stat.S_IRGRP | stat.S_IROTH):
        return [f"{path} can be read by other users of this computer and holds the admin secret; "
                f"run: chmod 600 {path}"]
    return []


def merge(file_values: dict[str, Any], flags: dict[str, Any]) -> dict[str, Any]:
    """The winning value of every key: flag > environment > settings.py > default."""
    values = dict(DEFAULTS)
    values.update(file_values)
    for key, name in ENV.items():
        if os.environ.get(name):
            values[key] = os.environ[name]
    for key, value in flags.items():
        if value is not None:
            if key == "admin_secret":
                raise UsageError("the admin secret is never taken from the command line; "
                                 "put it in settings.py or KALTURA_ADMIN_SECRET")
            values[key] = value
    return values


def _int(key: str, value: Any, problems: list[str], minimum: int = 1) -> int | None:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int):
        problems.append(f"{key} must be a whole number, not {type(value).__name__} {value!r}")
        return None
    if value < minimum:
        problems.append(f"{key} must be at least {minimum}, not {value}")
        return None
    return value


def _str(key: str, value: Any, problems: list[str]) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        problems.append(f"{key} must be text in quotes, not {type(value).__name__} {value!r}")
        return ""
    return value


def check_service_url(value: Any, problems: list[str]) -> str:
    if not isinstance(value, str) or not value.strip():
        problems.append("service_url must be the API host, e.g. 'https://www.kaltura.com'")
        return ""
    url = value.strip().rstrip("/")
    parts = urllib.parse.urlsplit(url)
    shown = _safe_url(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        problems.append(f"service_url {shown!r} must start with https:// and name a host, "
                        "e.g. 'https://www.kaltura.com'")
        return ""
    if parts.username or parts.password:
        problems.append(f"service_url {shown!r} holds a user name or password; remove them "
                        "(the admin secret goes in admin_secret)")
    if parts.path.rstrip("/").endswith("/api_v3"):
        problems.append(f"service_url {shown!r} ends with /api_v3; the client adds it, so remove it")
    elif parts.path not in ("", "/"):
        problems.append(f"service_url {shown!r} has a path; give only the host, e.g. 'https://www.kaltura.com'")
    if parts.query or parts.fragment:
        problems.append(f"service_url {shown!r} has a query or fragment; give only the host")
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        problems.append(f"service_url {shown!r} uses plain http:// to a host that is not this computer; "
                        "the admin session would travel in clear; use https://")
    return f"{parts.scheme}://{parts.netloc}"


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _safe_url(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    if parts.password or parts.username:
        netloc = "***@" + (parts.hostname or "") + (f":{parts.port}" if parts.port else "")
        return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, "", ""))
    return url


def check_admin_secret(value: Any, problems: list[str], interactive: bool) -> str:
    if value is None or value == "":
        if interactive:
            value = getpass.getpass("Kaltura admin secret (input hidden): ")
        else:
            problems.append("admin_secret is empty; set it in settings.py or KALTURA_ADMIN_SECRET "
                            "(KMC > Settings > Integration Settings)")
            return ""
    if not isinstance(value, str):
        problems.append(f"admin_secret must be text in quotes, not {type(value).__name__}")
        return ""
    secret = value.strip()
    if len(secret) >= 2 and secret[0] == secret[-1] and secret[0] in "'\"":
        problems.append("admin_secret has quote marks inside the value; remove them")
        return ""
    if not SECRET.match(secret):
        problems.append(f"admin_secret should be the 32 hexadecimal characters shown in KMC > Settings > "
                        f"Integration Settings; the value given has {len(secret)} characters")
        return ""
    register_secret(secret)
    return secret


def check_user_id(key: str, value: Any, problems: list[str]) -> str:
    text = _str(key, value, problems)
    if text and not PUSER_ID.match(text):
        problems.append(f"{key} {text!r} is not a user id Kaltura accepts: 1 to 320 letters, digits or "
                        "! # $ % & ' * + ? ^ _ ` { | } ~ . @ - (no spaces, slashes or non-ASCII)")
    return text


def check_role_id(value: Any, problems: list[str]) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        problems.append(f"role_id must be a role id (a number) or a role system name, not {value!r}")
        return None
    text = str(value).strip()
    if not ROLE_REF.match(text):
        problems.extend(privileges.check_label("role_id", text) or
                        [f"role_id {text!r} must be a role id (a number) or a role system name "
                         "(letters, digits, _ . -)"])
        return None
    return text


def check_choice(key: str, value: Any, choices: tuple[str, ...], problems: list[str]) -> str:
    if isinstance(value, str) and value.strip().upper() in choices:
        return value.strip().upper()
    problems.append(f"{key} must be one of {', '.join(choices)}, not {value!r}")
    return choices[0]


def check_session_type(value: Any, problems: list[str]) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        value = {0: "USER", 2: "ADMIN"}.get(value, value)
    return check_choice("session_type", value, tuple(SESSION_TYPES), problems)


def validate(values: dict[str, Any], source: str, interactive: bool, for_create: bool = False) -> Settings:
    """Every key checked; all problems raised together as one SettingsError."""
    problems: list[str] = []
    warnings: list[str] = []
    for key in ("partner_id", "token_expiry") if for_create else ("partner_id",):
        if key not in values:
            problems.append(f"{key} is missing; add it to settings.py (see settings.example.py)")
    partner_id = _int("partner_id", values.get("partner_id"), problems) if "partner_id" in values else 0
    secret = check_admin_secret(values.get("admin_secret"), problems, interactive)
    expiry = None
    if values.get("token_expiry") is None:
        if "token_expiry" in values and for_create:
            warnings.append("token_expiry is None: the token will never expire; prefer a date or a duration "
                            "such as '180d'")
    elif for_create:
        try:
            expiry = parse_expiry(values["token_expiry"])
        except ValueError as exc:
            problems.append(f"token_expiry {exc}")
    context = _str("privacy_context", values.get("privacy_context"), problems).strip()
    if context:
        problems.extend(privileges.check_privacy_context(context))
    role_id = check_role_id(values.get("role_id"), problems)
    extra = _str("extra_privileges", values.get("extra_privileges"), problems).strip()
    problems.extend(privileges.check_extra(extra, bool(context)))
    timeout = values.get("request_timeout")
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not 0 < timeout <= 300:
        problems.append(f"request_timeout must be a number of seconds between 1 and 300, not {timeout!r}")
        timeout = 30
    duration = _int("session_duration", values.get("session_duration"), problems)
    if duration and duration > 7 * 86400:
        warnings.append(f"session_duration is {duration} seconds (over 7 days); every KS from this token will "
                        "live that long unless its holder asks for less")
    description = values.get("description")
    if description is not None and not isinstance(description, str):
        problems.append(f"description must be text in quotes, not {type(description).__name__}")
        description = None
    settings = Settings(
        partner_id=partner_id or 0, admin_secret=secret,
        service_url=check_service_url(values.get("service_url"), problems),
        userId=check_user_id("userId", values.get("userId"), problems),
        role_name=_str("role_name", values.get("role_name"), problems).strip(),
        role_id=role_id, privacy_context=context, token_expiry=expiry,
        apptoken_user=check_user_id("apptoken_user", values.get("apptoken_user"), problems),
        hash_type=check_choice("hash_type", values.get("hash_type"), HASH_TYPES, problems),
        session_type=check_session_type(values.get("session_type"), problems),
        session_duration=duration or 86400, description=description, extra_privileges=extra,
        request_timeout=float(timeout),
        admin_session=check_choice("admin_session", values.get("admin_session"), ("LOCAL", "SERVER"),
                                   problems).lower(),
        source=source, warnings=warnings)
    if problems:
        raise SettingsError(problems, source)
    return settings


def unknown_keys(file_values: dict[str, Any]) -> list[str]:
    out = []
    for key in sorted(set(file_values) - KEYS):
        close = difflib.get_close_matches(key, sorted(KEYS), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        out.append(f"settings key {key!r} is not one this tool reads{hint}")
    return out


def load(flag_path: str | None = None, flags: dict[str, Any] | None = None, *, path: Path | None = None,
         override: dict[str, Any] | None = None, interactive: bool | None = None,
         for_create: bool = False) -> Settings:
    """Find, read and check the settings; `override` beats every source (used by --sandbox)."""
    path = path or find_settings(flag_path)
    if path is None:
        raise UsageError("no settings.py found; copy settings.example.py to settings.py and fill it in "
                         "(or use --settings PATH, or KALTURA_SETTINGS)")
    file_values = read_file(path)
    values = merge(file_values, flags or {})
    values.update(override or {})
    if interactive is None:
        interactive = sys.stdin.isatty()
    settings = validate(values, str(path), interactive, for_create)
    settings.warnings[:0] = _file_warnings(path) if not override else []
    settings.warnings.extend(unknown_keys(file_values))
    return settings
