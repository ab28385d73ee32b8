"""Every token of the partner, newest first, with role names, in two requests; filters and rows."""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from . import privileges, roles
from .client import Api, list_many
from .expiry import describe_expiry
from .output import mask
from .tokens import as_dict


@dataclass
class Filters:
    user: str | None = None
    created_since: int | None = None
    created_before: int | None = None
    expiring_within: int | None = None


def fetch(api: Api, filters: Filters) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(tokens, roles): first pages of both in one multirequest, every other page in one more."""
    from KalturaClient.Plugins.Core import KalturaAppTokenFilter, KalturaAppTokenOrderBy
    flt = KalturaAppTokenFilter()
    flt.orderBy = KalturaAppTokenOrderBy.CREATED_AT_DESC
    if filters.user:
        flt.sessionUserIdEqual = filters.user
    if filters.created_since is not None:
        flt.createdAtGreaterThanOrEqual = filters.created_since
    if filters.created_before is not None:
        flt.createdAtLessThanOrEqual = filters.created_before - 1
    (tokens, _), (role_objects, _) = list_many(api, [
        ("appToken.list", lambda c, pager: c.appToken.list(flt, pager)),
        ("userRole.list", lambda c, pager: c.userRole.list(None, pager))])
    found = [as_dict(t) for t in tokens]
    if filters.expiring_within is not None:
        now = time.time()
        found = [t for t in found if t["expiry"] is not None and now < t["expiry"] <= now + filters.expiring_within]
    return found, [roles.as_dict(r) for r in role_objects]


def role_names(all_roles: list[dict[str, Any]]) -> dict[str, str]:
    """setrole values (ids and system names) -> role names."""
    names = {str(r["id"]): r["name"] for r in all_roles}
    names.update({r["systemName"]: r["name"] for r in all_roles if r["systemName"]})
    return names


def role_and_context(token: dict[str, Any], names: dict[str, str]) -> tuple[str, str]:
    entries = dict(privileges.split(token["sessionPrivileges"]))
    ref = entries.get("setrole")
    role = "" if ref is None else names.get(ref, f"{ref} (no such role)")
    return role, entries.get("privacycontext") or ""


def shown(token: dict[str, Any], show_secrets: bool) -> dict[str, Any]:
    return token if show_secrets else {**token, "token": mask(token["token"])}


HEADERS = ("id", "user", "type", "role", "context", "expires", "hash", "description")
CSV_HEADERS = ("id", "sessionUserId", "sessionType", "role", "privacyContext", "expiry", "hashType",
               "sessionDuration", "sessionPrivileges", "createdAt", "description", "token")


def table_rows(found: list[dict[str, Any]], names: dict[str, str]) -> list[tuple]:
    rows = []
    for t in found:
        role, context = role_and_context(t, names)
        description = t["description"] if len(t["description"]) <= 40 else t["description"][:39] + "…"
        rows.append((t["id"], t["sessionUserId"] or "(any)", t["sessionType"] or "(unset)", role or "(none)",
                     context, describe_expiry(t["expiry"]), t["hashType"], description))
    return rows


def csv_rows(found: list[dict[str, Any]], names: dict[str, str], show_secrets: bool) -> list[tuple]:
    rows = []
    for t in found:
        role, context = role_and_context(t, names)
        rows.append((t["id"], t["sessionUserId"] or "", t["sessionType"] or "", role, context,
                     t["expiry"] if t["expiry"] is not None else "", t["hashType"], t["sessionDuration"],
                     t["sessionPrivileges"], t["createdAt"], t["description"],
                     t["token"] if show_secrets else mask(t["token"])))
    return rows


def fetch_one(api: Api, token_id: str) -> tuple[dict[str, Any], dict[str, str]]:
    """One token and the role names, in one request."""
    from KalturaClient.Plugins.Core import KalturaFilterPager
    pager = KalturaFilterPager()
    pager.pageSize = 500
    token, role_list = api.multi([("appToken.get", lambda c: c.appToken.get(token_id), {"id": token_id}),
                                  ("userRole.list", lambda c: c.userRole.list(None, pager), {})], raise_errors=True)
    return as_dict(token), role_names([roles.as_dict(r) for r in role_list.objects or []])
