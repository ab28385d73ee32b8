"""user service: add, get, list, delete; enough for binding tokens to users."""
from __future__ import annotations

from typing import Any

from ..deserializer import NULL, Param
from ..errors import APIError
from ..schema import CLASSES
from ..serializer import Obj
from . import Context, action, in_list, page
from .apptoken import PUSER_ID, delete_for_user

FIELDS = [p.name for p in CLASSES["KalturaUser"] if p.name != "relatedObjects"]


def as_object(ctx: Context, user: dict[str, Any]) -> Obj:
    values = {name: user.get(name) for name in FIELDS}
    roles = [ctx.state.data["roles"].get(r.strip()) for r in (user.get("roleIds") or "").split(",") if r.strip()]
    values["roleNames"] = ",".join(r["name"] for r in roles if r) or None
    return Obj("KalturaUser", values)


@action("add", [Param("user", "KalturaUser", mandatory=True)], ("ADMIN_USER_ADD",), writes=True)
def add(ctx: Context, user: dict[str, Any]) -> Obj:
    user_id = user.get("id")
    if not isinstance(user_id, str) or not PUSER_ID.match(user_id):
        raise APIError("INVALID_FIELD_VALUE", "id")
    if ctx.state.user(ctx.partner_id, user_id) is not None:
        raise APIError("DUPLICATE_USER_BY_ID", user_id)
    record = {name: (None if user.get(name) is NULL else user.get(name)) for name in FIELDS}
    record.update(partnerId=ctx.partner_id, createdAt=ctx.now, updatedAt=ctx.now,
                  status=record["status"] if record["status"] is not None else 1)
    ctx.state.put_user(record)
    return as_object(ctx, record)


def _lookup(ctx: Context, user_id: str) -> dict[str, Any]:
    user = ctx.state.user(ctx.partner_id, user_id)
    if user is None:
        raise APIError("INVALID_USER_ID")
    return user


@action("get", [Param("userId", "string")], ("ADMIN_BASE", "ACCOUNT_BASE", "BASE_USER_SESSION_PERMISSION"))
def get(ctx: Context, userId: str) -> Obj:
    return as_object(ctx, _lookup(ctx, userId or (ctx.ks.user_id if ctx.ks else "")))


@action("delete", [Param("userId", "string", mandatory=True)], ("ADMIN_USER_DELETE",), writes=True)
def delete(ctx: Context, userId: str) -> Obj:
    user = _lookup(ctx, userId)
    user.update(status=2, updatedAt=ctx.now)
    delete_for_user(ctx, userId)
    return as_object(ctx, user)


@action("list", [Param("filter", "KalturaUserFilter"), Param("pager", "KalturaFilterPager")],
        ("ADMIN_BASE", "ACCOUNT_BASE"))
def list_(ctx: Context, filter: dict | None, pager: dict | None) -> Obj:
    flt = filter or {}
    rows = [u for u in ctx.state.data["users"].values() if u["partnerId"] == ctx.partner_id and u["status"] != 2]
    if flt.get("idEqual"):
        rows = [u for u in rows if u["id"] == flt["idEqual"]]
    ids = in_list(flt.get("idIn"))
    if ids is not None:
        rows = [u for u in rows if u["id"] in ids]
    if flt.get("statusEqual") is not None:
        rows = [u for u in rows if u["status"] == flt["statusEqual"]]
    chosen, total = page(rows, pager)
    return Obj("KalturaUserListResponse", {"totalCount": total, "objects": [as_object(ctx, u) for u in chosen]})


ACTIONS = {a.name.lower(): a for a in (add, get, delete, list_)}
