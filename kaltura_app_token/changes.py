"""Changing tokens that exist: update (only what changed), rotate, revoke."""
from __future__ import annotations

import datetime as dt
import re
import sys
from dataclasses import dataclass, field
from typing import Any

from . import config as checks
from . import privileges, roles
from .client import Api
from .errors import ServerError, SettingsError, UsageError
from .expiry import describe_expiry, parse_expiry
from .tokens import TOOL, Plan, as_dict, new_marker

MARKER = re.compile(r"\s*\[kat:[0-9a-f]+\]\s*$")


@dataclass
class Requested:
    """What update_token.py was asked to change; None means unchanged."""
    expiry: str | None = None
    description: str | None = None
    role: str | None = None
    privacy_context: str | None = None
    extra_privileges: str | None = None
    user: str | None = None
    session_duration: str | None = None
    session_type: str | None = None
    hash_type: str | None = None


@dataclass
class Update:
    token: dict[str, Any]
    send: dict[str, Any] = field(default_factory=dict)
    shown: list[tuple[str, str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def check_requested(req: Requested) -> dict[str, Any]:
    """Every flag checked as create checks its setting; all problems at once."""
    problems: list[str] = []
    out: dict[str, Any] = {}
    if req.expiry is not None:
        if req.expiry.strip().lower() == "never":
            out["expiry"] = None
        else:
            try:
                out["expiry"] = parse_expiry(req.expiry)
            except ValueError as exc:
                problems.append(f"--expiry {exc}")
    if req.description is not None:
        out["description"] = req.description
    if req.role is not None:
        out["role"] = checks.check_role_id(req.role, problems)
    if req.privacy_context is not None:
        out["privacy_context"] = req.privacy_context.strip()
        problems.extend(privileges.check_privacy_context(out["privacy_context"]) if out["privacy_context"] else [])
    if req.user is not None:
        out["user"] = checks.check_user_id("--user", req.user, problems)
    if req.session_duration is not None:
        out["sessionDuration"] = checks._int("--session-duration", req.session_duration, problems)
    if req.session_type is not None:
        out["sessionType"] = checks.check_session_type(req.session_type, problems)
    if req.hash_type is not None:
        out["hashType"] = checks.check_choice("--hash-type", req.hash_type, checks.HASH_TYPES, problems)
    if req.extra_privileges is not None:
        out["extra"] = req.extra_privileges.strip()
        problems.extend(p.replace("extra_privileges", "--extra-privileges")
                        for p in privileges.check_extra(out["extra"], False))
    problems = [p.replace("the role_id setting", "--role").replace("the privacy_context setting", "--privacy-context")
                .replace("role_id", "--role").replace("privacy_context", "--privacy-context") for p in problems]
    if problems:
        raise SettingsError(problems, "the arguments")
    return out


def current_parts(token: dict[str, Any]) -> tuple[str | None, str, str]:
    """(role, context, the other privileges) of a token."""
    role, context, rest = None, "", []
    for name, value in privileges.split(token["sessionPrivileges"]):
        if name == "setrole" and role is None:
            role = value
        elif name == "privacycontext" and not context:
            context = value or ""
        else:
            rest.append(name if value is None else f"{name}:{value}")
    return role, context, ",".join(rest)


def plan_update(token: dict[str, Any], wanted: dict[str, Any]) -> Update:
    """Only the fields that differ are sent; privileges rebuilt from the current ones and the changes."""
    update = Update(token)
    role, context, extra = current_parts(token)
    new_role = wanted.get("role", role)
    new_context = wanted.get("privacy_context", context)
    new_extra = wanted.get("extra", extra)
    problems = privileges.check_extra(new_extra, bool(new_context)) if "extra" in wanted or \
        "privacy_context" in wanted else []
    if problems:
        raise SettingsError([p.replace("extra_privileges", "--extra-privileges") for p in problems], "the arguments")
    fields = {
        "expiry": wanted.get("expiry", token["expiry"]),
        "description": _keep_marker(token["description"], wanted["description"]) if "description" in wanted
        else token["description"],
        "sessionPrivileges": privileges.build(new_role, new_context, new_extra),
        "sessionUserId": (wanted["user"] or None) if "user" in wanted else token["sessionUserId"],
        "sessionDuration": wanted.get("sessionDuration") or token["sessionDuration"],
        "sessionType": wanted.get("sessionType", token["sessionType"]),
        "hashType": wanted.get("hashType", token["hashType"]),
    }
    for name, value in fields.items():
        before = token[name]
        if value != before:
            update.send[name] = value
            update.shown.append((name, _show(name, before), _show(name, value)))
    if "expiry" in update.send and update.send["expiry"] is None:
        update.warnings.append("--expiry never: the token will never expire")
    if "hashType" in update.send:
        update.warnings.append("the hash type changes: the holder must hash with "
                               f"{update.send['hashType']} from now on, or their sessions will be refused")
    if update.send.get("sessionType") == "ADMIN":
        update.warnings.append("session type ADMIN: every session from this token will be an admin session")
    return update


def _keep_marker(old: str, new: str) -> str:
    match = MARKER.search(old or "")
    return f"{new} {match.group(0).strip()}" if match else new


def _show(name: str, value: Any) -> str:
    if name == "expiry":
        return describe_expiry(value)
    if value is None or value == "":
        return "(none)"
    return str(value)


def fetch_with_checks(api: Api, token_id: str, role_ref: str | None, user: str | None, create_user: bool,
                      partner_id: int) -> dict[str, Any]:
    """The token, the role and the user, in one request."""
    calls: list[tuple[str, Any, dict]] = [("appToken.get", lambda c: c.appToken.get(token_id), {"id": token_id})]
    if role_ref:
        flt = roles.role_filter(role_ref)
        calls.append(("userRole.list", lambda c: c.userRole.list(flt), {}))
    if user:
        calls.append(("user.get", lambda c: c.user.get(user), {}))
    results = api.multi(calls)
    if isinstance(results[0], ServerError):
        raise results[0]
    token = as_dict(results[0])
    rest = results[1:]
    if role_ref:
        role_result = rest.pop(0)
        if isinstance(role_result, ServerError):
            raise role_result
        if not role_result.objects:
            raise UsageError(f"--role {role_ref!r} names no role on partner {partner_id}; getroleid.py lists them")
    if user:
        user_result = rest.pop(0)
        if isinstance(user_result, ServerError) and user_result.code != "INVALID_USER_ID":
            raise user_result
        if isinstance(user_result, ServerError) and not create_user:
            raise UsageError(f"--user {user!r} does not exist on partner {partner_id}; Kaltura would create it "
                             "silently: check the spelling, or pass --create-user")
    return token


def send_update(api: Api, token_id: str, send: dict[str, Any]) -> dict[str, Any]:
    from KalturaClient.Plugins.Core import KalturaAppToken, KalturaAppTokenHashType, KalturaSessionType
    change = KalturaAppToken()
    for name, value in send.items():
        if name == "hashType":
            value = getattr(KalturaAppTokenHashType, value)
        elif name == "sessionType" and value is not None:
            value = getattr(KalturaSessionType, value)
        setattr(change, name, value)
    return as_dict(api.call("appToken.update", lambda c: c.appToken.update(token_id, change), write=True,
                            id=token_id))


def rotation_description(old: dict[str, Any]) -> tuple[str, str]:
    """The old description, a new marker, and where the token came from."""
    marker = new_marker()
    when = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    base = MARKER.sub("", old["description"] or "").strip() or "App token"
    return f"{base} (rotated from {old['id']} by {TOOL} on {when}) {marker}", marker


def rotation_plan(old: dict[str, Any]) -> Plan:
    """A new token with exactly the old one's settings (a new secret, a new marker)."""
    if old["expiry"] is not None and old["expiry"] <= dt.datetime.now(dt.timezone.utc).timestamp():
        raise UsageError(f"token {old['id']} expired ({describe_expiry(old['expiry'])}); rotating it would make "
                         "a dead token: create a new one with create_token.py")
    role, context, extra = current_parts(old)
    description, marker = rotation_description(old)
    return Plan(expiry=old["expiry"], session_type=old["sessionType"], session_user_id=old["sessionUserId"] or "",
                session_duration=old["sessionDuration"], hash_type=old["hashType"], role_ref=role,
                privacy_context=context, extra_privileges=extra, description=description, marker=marker)


def confirm_possible() -> None:
    """Checked before anything is sent: a question needs a terminal, else --yes."""
    if not sys.stdin.isatty():
        raise UsageError("this asks for confirmation and there is no terminal to ask on; pass --yes")


def confirm(question: str, assume_yes: bool) -> bool:
    """Ask on the terminal; --yes answers for scripts."""
    if assume_yes:
        return True
    confirm_possible()
    print(f"{question} [y/N] ", end="", file=sys.stderr, flush=True)
    return sys.stdin.readline().strip().lower() in ("y", "yes")


def revoke(api: Api, token_ids: list[str], raise_errors: bool = False) -> list[Any]:
    """Delete several tokens in one request; a failed one's result is its ServerError."""
    return api.multi([("appToken.delete", lambda c, i=i: c.appToken.delete(i), {"id": i}) for i in token_ids],
                     write=True, raise_errors=raise_errors)


def get_many(api: Api, token_ids: list[str]) -> list[Any]:
    results = api.multi([("appToken.get", lambda c, i=i: c.appToken.get(i), {"id": i}) for i in token_ids])
    return [r if isinstance(r, ServerError) else as_dict(r) for r in results]

