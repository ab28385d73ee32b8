"""userRole service: add, get, list, update, delete (notes §6)."""
from __future__ import annotations

from typing import Any

from ..deserializer import NULL, Param
from ..errors import APIError
from ..schema import CLASSES
from ..serializer import Obj
from . import Context, action, in_list, order, page, time_filters

FIELDS = [p.name for p in CLASSES["KalturaUserRole"] if p.name != "relatedObjects"]
ORDERS = ("+id", "-id", "+name", "-name", "+createdAt", "-createdAt", "+updatedAt", "-updatedAt")


def as_object(role: dict[str, Any]) -> Obj:
    return Obj("KalturaUserRole", {name: role.get(name) for name in FIELDS})


def _lookup(ctx: Context, role_id: int, own_only: bool) -> dict[str, Any]:
    role = ctx.state.data["roles"].get(str(role_id))
    partners = (ctx.partner_id,) if own_only else (0, ctx.partner_id)
    if role is None or role["partnerId"] not in partners or role["status"] == 3:
        raise APIError("INVALID_OBJECT_ID", role_id)
    return role


def _check_unique(ctx: Context, role: dict[str, Any], role_id: int | None) -> None:
    for other in ctx.state.visible_roles(ctx.partner_id):
        if other["partnerId"] != ctx.partner_id or other["id"] == role_id:
            continue
        if role.get("name") and other["name"] == role["name"]:
            raise APIError("ROLE_NAME_ALREADY_EXISTS")
        if role.get("systemName") and other["systemName"] == role["systemName"]:
            raise APIError("SYSTEM_NAME_ALREADY_EXISTS", role["systemName"])


def _read_only(sent: dict[str, Any], stored: dict[str, Any] | None) -> None:
    for name in ("id", "partnerId", "createdAt", "updatedAt"):
        value = sent.get(name)
        if value is not None and value is not NULL and (stored is None or stored.get(name) != value):
            raise APIError("PROPERTY_VALIDATION_NOT_UPDATABLE", f"KalturaUserRole::{name}")


@action("add", [Param("userRole", "KalturaUserRole", mandatory=True)], ("ADMIN_ROLE_ADD",), writes=True)
def add(ctx: Context, userRole: dict[str, Any]) -> Obj:
    _read_only(userRole, None)
    if not userRole.get("name") or userRole["name"] is NULL:
        raise APIError("PROPERTY_VALIDATION_CANNOT_BE_NULL", "KalturaUserRole::name")
    role = {name: (None if userRole.get(name) is NULL else userRole.get(name)) for name in FIELDS}
    _check_unique(ctx, role, None)
    role.update(partnerId=ctx.partner_id, createdAt=ctx.now, updatedAt=ctx.now,
                status=role["status"] if role["status"] is not None else 1,
                systemName=role["systemName"] or "")
    return as_object(ctx.state.insert_role(role))


@action("get", [Param("userRoleId", "int", mandatory=True)], ("ADMIN_BASE", "ACCOUNT_BASE"))
def get(ctx: Context, userRoleId: int) -> Obj:
    return as_object(_lookup(ctx, userRoleId, own_only=False))


@action("update", [Param("userRoleId", "int", mandatory=True), Param("userRole", "KalturaUserRole", mandatory=True)],
        ("ADMIN_ROLE_UPDATE",), writes=True)
def update(ctx: Context, userRoleId: int, userRole: dict[str, Any]) -> Obj:
    role = _lookup(ctx, userRoleId, own_only=True)
    _read_only(userRole, role)
    changed = {k: (None if v is NULL else v) for k, v in userRole.items() if k in FIELDS}
    _check_unique(ctx, {**role, **changed}, role["id"])
    role.update(changed, updatedAt=ctx.now)
    return as_object(role)


@action("delete", [Param("userRoleId", "int", mandatory=True)], ("ADMIN_ROLE_DELETE",), writes=True)
def delete(ctx: Context, userRoleId: int) -> Obj:
    role = _lookup(ctx, userRoleId, own_only=True)
    for user in ctx.state.data["users"].values():
        if user["partnerId"] == ctx.partner_id and user["status"] != 2 and \
                str(role["id"]) in (user.get("roleIds") or "").split(","):
            raise APIError("ROLE_IS_BEING_USED")
    role.update(status=3, updatedAt=ctx.now)
    return as_object(role)


def _like(haystack: str | None, needle: str) -> bool:
    return needle.lower() in (haystack or "").lower()


@action("list", [Param("filter", "KalturaUserRoleFilter"), Param("pager", "KalturaFilterPager")],
        ("ADMIN_BASE", "ACCOUNT_BASE"))
def list_(ctx: Context, filter: dict | None, pager: dict | None) -> Obj:
    flt = filter or {}
    rows = ctx.state.visible_roles(ctx.partner_id)
    equal = {"idEqual": "id", "nameEqual": "name", "systemNameEqual": "systemName",
             "statusEqual": "status", "partnerIdEqual": "partnerId"}
    for key, field_name in equal.items():
        if flt.get(key) not in (None, ""):
            rows = [r for r in rows if r[field_name] == flt[key]]
    for key, field_name in {"idIn": "id", "nameIn": "name", "systemNameIn": "systemName",
                            "statusIn": "status", "partnerIdIn": "partnerId"}.items():
        values = in_list(flt.get(key))
        if values is not None:
            rows = [r for r in rows if str(r[field_name]) in values]
    if flt.get("descriptionLike"):
        rows = [r for r in rows if _like(r.get("description"), flt["descriptionLike"])]
    for key, combine in (("tagsMultiLikeOr", any), ("tagsMultiLikeAnd", all)):
        parts = [p.strip() for p in (flt.get(key) or "").split(",") if p.strip()]
        if parts:
            rows = [r for r in rows if combine(_like(r.get("tags"), p) for p in parts)]
    rows = time_filters(rows, flt)
    rows = order(rows, flt.get("orderBy"), ORDERS)
    chosen, total = page(rows, pager)
    return Obj("KalturaUserRoleListResponse", {"totalCount": total, "objects": [as_object(r) for r in chosen]})


ACTIONS = {a.name.lower(): a for a in (add, get, update, delete, list_)}
