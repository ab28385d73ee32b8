"""appToken service: add, get, list, update, delete, startSession (notes §2)."""
from __future__ import annotations

import hashlib
import re
import secrets
import string
from typing import Any

from .. import ks as ksmod
from ..deserializer import NULL, Param
from ..errors import APIError
from ..schema import CLASSES
from ..serializer import Obj
from ..state import random_hex
from . import Context, action, in_list, order, page, time_filters

PUSER_ID = re.compile(r"^[A-Za-z0-9,!#$%&'*+?^_`{|}~.@-]{1,320}$")
RESERVED_PRIVILEGES = frozenset(
    "edit sview list download downloadasset editplaylist sviewplaylist actionslimit setrole restrictingrole "
    "limitentry iprestrict urirestrict enableentitlement disableentitlement disableentitlementforentry "
    "disableentitlementforplaylist privacycontext enablecategorymoderation reftime sessionkey preview "
    "sessionid jobtype apptoken enablechangeaccount edituser enablecaptionmoderation editadmintags "
    "restrictexplicitliveview virtualeventid searchcontext disablesessiontypecheck".split())
_BASE36 = string.digits + string.ascii_lowercase
FIELDS = [p.name for p in CLASSES["KalturaAppToken"] if p.name != "relatedObjects"]
READ_ONLY = [p.name for p in CLASSES["KalturaAppToken"] if p.readonly and p.name != "relatedObjects"]


def _new_id(ctx: Context) -> str:
    for _ in range(10):
        token_id = "0_" + "".join(secrets.choice(_BASE36) for _ in range(8))
        if token_id not in ctx.state.data["tokens"]:
            return token_id
    raise APIError("INTERNAL_SERVERL_ERROR")


def as_object(token: dict[str, Any]) -> Obj:
    values = {name: token.get(name) for name in FIELDS}
    values["hashType"] = token.get("hashType") or "SHA1"
    return Obj("KalturaAppToken", values)


def _lookup(ctx: Context, token_id: str) -> dict[str, Any]:
    token = ctx.state.data["tokens"].get(token_id)
    if token is None or token["partnerId"] != ctx.partner_id or token["status"] == 3:
        raise APIError("APP_TOKEN_ID_NOT_FOUND", token_id)
    return token


def _bind_user(ctx: Context, token: dict[str, Any]) -> None:
    """setKuserIdBySessionUserId: on every add and update, unknown users are created."""
    user_id = token.get("sessionUserId") or None
    token["sessionUserId"] = user_id
    if user_id is None:
        return
    if ctx.state.user(ctx.partner_id, user_id) is None:
        if not PUSER_ID.match(user_id):
            raise APIError("INVALID_FIELD_VALUE", "sessionUserId")
        ctx.state.put_user({"id": user_id, "partnerId": ctx.partner_id, "status": 1, "createdAt": ctx.now,
                            "updatedAt": ctx.now, "roleIds": None, "isAdmin": False,
                            "screenName": user_id})


def _check_read_only(sent: dict[str, Any], stored: dict[str, Any] | None) -> None:
    for name in READ_ONLY:
        value = sent.get(name)
        if value is None or value is NULL:
            continue
        if stored is None or value != stored.get(name):
            raise APIError("PROPERTY_VALIDATION_NOT_UPDATABLE", f"KalturaAppToken::{name}")


@action("add", [Param("appToken", "KalturaAppToken", mandatory=True)], ("APP_TOKEN_ADD",), writes=True)
def add(ctx: Context, appToken: dict[str, Any]) -> Obj:
    _check_read_only(appToken, None)
    token = {name: (None if appToken.get(name) is NULL else appToken.get(name)) for name in FIELDS}
    if token["sessionDuration"] is None:
        partner = ctx.state.partner(ctx.partner_id)
        token["sessionDuration"] = partner["ks_max_expiry"] if partner else 86400
    token.update(id=_new_id(ctx), token=random_hex(16), partnerId=ctx.partner_id, status=2,
                 createdAt=ctx.now, updatedAt=ctx.now)
    _bind_user(ctx, token)
    ctx.state.data["tokens"][token["id"]] = token
    return as_object(token)


@action("get", [Param("id", "string", mandatory=True)], ("APP_TOKEN_BASE", "KMC_READ_ONLY"))
def get(ctx: Context, id: str) -> Obj:
    return as_object(_lookup(ctx, id))


@action("update", [Param("id", "string", mandatory=True), Param("appToken", "KalturaAppToken", mandatory=True)],
        ("APP_TOKEN_UPDATE",), writes=True)
def update(ctx: Context, id: str, appToken: dict[str, Any]) -> Obj:
    token = _lookup(ctx, id)
    _check_read_only(appToken, token)
    changed = dict(token)
    for name, value in appToken.items():
        if name not in READ_ONLY:
            changed[name] = None if value is NULL else value
    _bind_user(ctx, changed)
    changed["updatedAt"] = ctx.now
    token.update(changed)
    return as_object(token)


@action("delete", [Param("id", "string", mandatory=True)], ("APP_TOKEN_DELETE",), writes=True)
def delete(ctx: Context, id: str) -> None:
    """Soft delete; every KS carrying sessionid:<id> is logged out until the token's expiry."""
    token = _lookup(ctx, id)
    token["status"] = 3
    token["deletedAt"] = ctx.now
    ctx.state.invalidate(ksmod.session_id_key(ctx.partner_id, id), token.get("expiry"))
    return None


@action("list", [Param("filter", "KalturaAppTokenFilter"), Param("pager", "KalturaFilterPager")],
        ("APP_TOKEN_BASE", "KMC_READ_ONLY"))
def list_(ctx: Context, filter: dict | None, pager: dict | None) -> Obj:
    flt = filter or {}
    rows = [t for t in ctx.state.data["tokens"].values() if t["partnerId"] == ctx.partner_id and t["status"] != 3]
    if flt.get("sessionUserIdEqual"):
        if ctx.state.user(ctx.partner_id, flt["sessionUserIdEqual"]) is None:
            return Obj("KalturaAppTokenListResponse", {"totalCount": 0, "objects": None})
        rows = [t for t in rows if t.get("sessionUserId") == flt["sessionUserIdEqual"]]
    if flt.get("idEqual"):
        rows = [t for t in rows if t["id"] == flt["idEqual"]]
    ids = in_list(flt.get("idIn"))
    if ids is not None:
        rows = [t for t in rows if t["id"] in ids]
    if flt.get("statusEqual") is not None:
        rows = [t for t in rows if t["status"] == flt["statusEqual"]]
    statuses = in_list(flt.get("statusIn"))
    if statuses is not None:
        rows = [t for t in rows if str(t["status"]) in statuses]
    rows = time_filters(rows, flt)
    rows = order(rows, flt.get("orderBy"), ("+createdAt", "-createdAt", "+updatedAt", "-updatedAt"))
    chosen, total = page(rows, pager)
    return Obj("KalturaAppTokenListResponse", {"totalCount": total, "objects": [as_object(t) for t in chosen]})


def merge_privileges(token: dict[str, Any], requested: str) -> str:
    """sessionid and apptoken first, then the token's, then the caller's allowed extras."""
    merged: dict[str, list[str]] = {"sessionid": [token["id"]], "apptoken": [token["id"]]}
    for name, values in ksmod.parse_privileges(token.get("sessionPrivileges") or "").items():
        merged.setdefault(name, []).extend(values)
    for name, values in ksmod.parse_privileges(requested).items():
        if name in merged and "*" in merged[name]:
            merged[name] = values
        elif name not in merged and name not in RESERVED_PRIVILEGES:
            merged[name] = values
    return ksmod.build_privileges(merged)


@action("startSession", [Param("id", "string", mandatory=True), Param("tokenHash", "string", mandatory=True),
                         Param("userId", "string"), Param("type", "KalturaSessionType"),
                         Param("expiry", "int"), Param("sessionPrivileges", "string")],
        ("BASE_USER_SESSION_PERMISSION", "WIDGET_SESSION_PERMISSION"))
def start_session(ctx: Context, id: str, tokenHash: str, userId: str, type: int, expiry: int,
                  sessionPrivileges: str) -> Obj:
    token = _lookup(ctx, id)
    if token["status"] != 2:
        raise APIError("APP_TOKEN_NOT_ACTIVE", id)
    algorithm = (token.get("hashType") or "SHA1").lower()
    expected = hashlib.new(algorithm, (ctx.ks_raw + token["token"]).encode()).hexdigest()
    if tokenHash != expected:
        raise APIError("INVALID_APP_TOKEN_HASH")
    token_expiry = token.get("sessionDuration") or 0
    if token.get("expiry") is not None:
        token_expiry = min(token_expiry, token["expiry"] - ctx.now)
        if token_expiry < 0:
            raise APIError("APP_TOKEN_EXPIRED", id)
    if not expiry:
        expiry = token_expiry
    expiry = min(expiry, token_expiry)
    ks_type = token["sessionType"] if token.get("sessionType") is not None else type
    user_id = token["sessionUserId"] if token.get("sessionUserId") is not None else userId
    privileges = merge_privileges(token, sessionPrivileges)
    partner = ctx.state.partner(ctx.partner_id)
    valid_until = ctx.now + expiry
    new_ks = ksmod.issue(partner, ks_type, user_id, privileges, valid_until)
    return Obj("KalturaSessionInfo", {"ks": new_ks, "sessionType": ks_type, "partnerId": ctx.partner_id,
                                      "userId": user_id, "expiry": valid_until, "privileges": privileges})


def delete_for_user(ctx: Context, user_id: str) -> None:
    """AppToken::onUserDeleted: tokens bound to a deleted user are deleted too."""
    for token in ctx.state.data["tokens"].values():
        if token["partnerId"] == ctx.partner_id and token.get("sessionUserId") == user_id and token["status"] != 3:
            token["status"] = 3


ACTIONS = {a.name.lower(): a for a in (add, get, update, delete, list_, start_session)}
