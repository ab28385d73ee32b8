"""The risk report: every active token with its findings, in at most three requests."""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from . import privileges, roles
from .client import Api, list_many
from .expiry import describe_expiry
from .tokens import as_dict

LEVELS = ("low", "medium", "high", "critical")
SOON = 30 * 86400
LONG_SESSION = 7 * 86400


@dataclass
class Finding:
    code: str
    severity: str
    message: str


def fetch(api: Api) -> tuple[list[dict[str, Any]], list[dict[str, Any]], set[str]]:
    """(tokens, roles, bound users that exist): first pages, the other pages, then the users by id."""
    from KalturaClient.Plugins.Core import (
        KalturaAppTokenFilter,
        KalturaAppTokenOrderBy,
        KalturaFilterPager,
        KalturaUserFilter,
    )
    flt = KalturaAppTokenFilter()
    flt.orderBy = KalturaAppTokenOrderBy.CREATED_AT_DESC
    (found, _), (role_objects, _) = list_many(api, [
        ("appToken.list", lambda c, pager: c.appToken.list(flt, pager)),
        ("userRole.list", lambda c, pager: c.userRole.list(None, pager))])
    tokens = [as_dict(t) for t in found]
    users = sorted({t["sessionUserId"] for t in tokens if t["sessionUserId"]})
    existing: set[str] = set()
    if users:
        pager = KalturaFilterPager()
        pager.pageSize = 500
        calls = []
        for start in range(0, len(users), 500):
            user_filter = KalturaUserFilter()
            user_filter.idIn = ",".join(users[start:start + 500])
            calls.append(("user.list", lambda c, f=user_filter: c.user.list(f, pager), {}))
        for result in api.multi(calls, raise_errors=True):
            existing.update(u.id for u in result.objects or [])
    return tokens, [roles.as_dict(r) for r in role_objects], existing


def findings(token: dict[str, Any], all_roles: list[dict[str, Any]], users: set[str],
             now: float | None = None) -> list[Finding]:
    now = time.time() if now is None else now
    out: list[Finding] = []
    add = out.append
    expiry = token["expiry"]
    if expiry is None:
        add(Finding("never-expires", "high", "never expires; set an expiry with update_token.py --expiry"))
    elif expiry <= now:
        add(Finding("expired-still-active", "medium", f"{describe_expiry(expiry)} but is still active; revoke it"))
    elif expiry <= now + SOON:
        add(Finding("expires-soon", "low", f"expires {describe_expiry(expiry)}; rotate or extend it in time"))
    entries = privileges.split(token["sessionPrivileges"])
    names = [n for n, _ in entries]
    role_refs = [v for n, v in entries if n == "setrole"]
    unrestricted = "critical" if not role_refs else "high"  # no role: an ADMIN session can do everything
    if token["sessionType"] == "ADMIN":
        add(Finding("admin-session", unrestricted, "makes ADMIN sessions"
                    + ("" if role_refs else " with no role to restrict them")))
    elif token["sessionType"] is None:
        add(Finding("no-session-type", unrestricted, "no session type: the holder may ask for ADMIN sessions"))
    if token["hashType"] in ("MD5", "SHA1"):
        add(Finding("weak-hash", "medium" if token["hashType"] == "MD5" else "low",
                    f"hash type {token['hashType']}; SHA256 is recommended"))
    if not role_refs:
        add(Finding("no-role", "medium", "no setrole: sessions get the session type's default role"))
    for ref in role_refs:
        role = roles.find(all_roles, ref or "")
        if role is None:
            add(Finding("role-missing", "high", f"setrole:{ref} names a role that no longer exists; its sessions "
                                                "are refused"))
        elif role["status"] != "ACTIVE":
            add(Finding("role-blocked", "medium", f"setrole:{ref} names a {role['status'].lower()} role"))
    if not token["sessionUserId"]:
        add(Finding("no-user", "high" if token["sessionType"] != "USER" else "medium",
                    "no sessionUserId: the holder may pose as any user"))
    elif token["sessionUserId"] not in users:
        add(Finding("user-missing", "medium", f"bound user {token['sessionUserId']!r} no longer exists"))
    if "disableentitlement" in names:
        add(Finding("entitlement-disabled", "high", "disableentitlement: sessions see every entry of the partner"))
    stray = sorted({n for n in names if n not in privileges.KNOWN})
    if stray:
        add(Finding("unknown-privilege", "medium", f"unknown privilege name{'s' if len(stray) > 1 else ''} "
                                                   f"{', '.join(stray)} (perhaps left by a comma in a value)"))
    if (token["sessionDuration"] or 0) > LONG_SESSION:
        add(Finding("long-sessions", "low", f"sessions live up to {token['sessionDuration']} s (over 7 days)"))
    return out


def at_or_above(found: list[Finding], level: str) -> bool:
    floor = LEVELS.index(level)
    return any(LEVELS.index(f.severity) >= floor for f in found)
