"""Roles: all of them (the partner's and the system's), matched by partial name."""
from __future__ import annotations

from typing import Any

from .client import Api, enum_value, list_all

STATUS = {1: "ACTIVE", 2: "BLOCKED", 3: "DELETED"}


def as_dict(role: Any) -> dict[str, Any]:
    return {"id": role.id, "name": role.name, "systemName": role.systemName or "",
            "description": role.description or "", "status": STATUS.get(enum_value(role.status), "UNKNOWN"),
            "partnerId": role.partnerId, "system": role.partnerId == 0,
            "permissionNames": role.permissionNames or "", "tags": role.tags or ""}


def all_roles(api: Api) -> list[dict[str, Any]]:
    """One request per 500 roles at most (pages after the first go in one multirequest)."""
    roles, _ = list_all(api, "userRole.list", lambda c, pager: c.userRole.list(None, pager))
    return [as_dict(r) for r in roles]


def matching(roles: list[dict[str, Any]], text: str) -> list[dict[str, Any]]:
    """Case-insensitive substring of name, system name or description (the server has no nameLike)."""
    needle = text.lower()
    return [r for r in roles if any(needle in (r[k] or "").lower() for k in ("name", "systemName", "description"))]


def find(roles: list[dict[str, Any]], ref: str) -> dict[str, Any] | None:
    """A setrole value: numeric id or system name."""
    for role in roles:
        if (ref.isdigit() and role["id"] == int(ref)) or (role["systemName"] and role["systemName"] == ref):
            return role
    return None


def role_filter(ref: str) -> Any:
    """A userRole.list filter that finds one role by id or system name."""
    from KalturaClient.Plugins.Core import KalturaUserRoleFilter
    flt = KalturaUserRoleFilter()
    if ref.isdigit():
        flt.idEqual = int(ref)
    else:
        flt.systemNameEqual = ref
    return flt


def describe(role: dict[str, Any]) -> str:
    scope = "system role" if role["system"] else "partner role"
    status = "" if role["status"] == "ACTIVE" else f", {role['status']}"
    return f"\"{role['name']}\" (id {role['id']}, {scope}{status})"
