"""session service: start, get, end, startWidgetSession (notes §4)."""
from __future__ import annotations

from .. import ks as ksmod
from ..deserializer import Param
from ..errors import APIError
from ..serializer import Obj
from . import Context, action

SESSION_END_BLOCKS_SIBLINGS_FOR = 86400


@action("start", [Param("secret", "string", mandatory=True), Param("userId", "string", ""),
                  Param("type", "KalturaSessionType", 0), Param("partnerId", "int"),
                  Param("expiry", "int", 86400), Param("privileges", "string")],
        ("ALWAYS_ALLOWED_ACTIONS", "BASE_USER_SESSION_PERMISSION", "WIDGET_SESSION_PERMISSION"))
def start(ctx: Context, secret: str, userId: str, type: int, partnerId: int, expiry: int,
          privileges: str) -> str:
    partner = ctx.state.partner(partnerId)
    valid = partner is not None and (secret == partner["admin_secret"]
                                     or (type == 0 and secret == partner["secret"]))
    if not valid:
        raise APIError("START_SESSION_ERROR", partnerId)
    for ref in ksmod.parse_privileges(privileges).get("setrole", []):
        if ctx.state.find_role(partnerId, ref) is None:
            raise APIError("UNKNOWN_ROLE_ID")
    expiry = min(expiry, partner["ks_max_expiry"] or 86400)
    return ksmod.issue(partner, type, userId, privileges, ctx.now + expiry)


@action("get", [Param("session", "string")], ("SESSION_READ_PERMISSION", "KMC_ACCESS", "KMC_READ_ONLY"))
def get(ctx: Context, session: str) -> Obj:
    raw = session or ctx.ks_raw
    parsed = ksmod.parse(raw, ctx.state.admin_secrets)
    if parsed is None:
        raise APIError("INTERNAL_SERVERL_ERROR")
    if parsed.partner_id != ctx.partner_id:
        raise APIError("PARTNER_ACCESS_FORBIDDEN", ctx.partner_id, parsed.partner_id)
    return Obj("KalturaSessionInfo", {"ks": None, "sessionType": parsed.type, "partnerId": parsed.partner_id,
                                      "userId": parsed.user_id, "expiry": parsed.valid_until,
                                      "privileges": parsed.privileges})


@action("end", [], ("ALWAYS_ALLOWED_ACTIONS",), writes=True)
def end(ctx: Context) -> None:
    """Ends the KS, and (as invalidateKs does) its sessionid group for a day."""
    if ctx.ks is None:
        return None
    ctx.state.invalidate(ksmod.ks_key(ctx.ks_raw), ctx.ks.valid_until)
    for session_id in ctx.ks.privilege_map().get("sessionid", []):
        ctx.state.invalidate(ksmod.session_id_key(ctx.ks.partner_id, session_id),
                             ctx.now + SESSION_END_BLOCKS_SIBLINGS_FOR)
    return None


@action("startWidgetSession", [Param("widgetId", "string", mandatory=True), Param("expiry", "int", 86400)],
        ("ALWAYS_ALLOWED_ACTIONS",))
def start_widget_session(ctx: Context, widgetId: str, expiry: int) -> Obj:
    partner_ref = widgetId[1:] if widgetId.startswith("_") else ""
    partner = ctx.state.partner(int(partner_ref)) if partner_ref.isdigit() else None
    if partner is None:
        raise APIError("INVALID_WIDGET_ID", widgetId)
    expiry = min(expiry, partner["ks_max_expiry"] or 86400)
    ks = ksmod.issue(partner, 0, "0", "view:*,widget:1", ctx.now + expiry)
    return Obj("KalturaStartWidgetSessionResponse", {"partnerId": partner["id"], "ks": ks, "userId": "0"})


ACTIONS = {a.name.lower(): a for a in (start, get, end, start_widget_session)}
