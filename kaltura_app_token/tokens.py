"""App tokens: what to create from the settings, the checks before, the add, and the hand-off bundle."""
from __future__ import annotations

import datetime as dt
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

from . import privileges, roles
from .client import FAILING_RUN_BUDGET, Api, enum_value, list_all
from .config import SESSION_TYPES, Settings
from .errors import BadAnswer, ServerError, Unreachable, UsageError
from .expiry import describe_expiry, describe_seconds

TOOL = "kaltura_app_token"
SESSION_TYPE_NAMES = {v: k for k, v in SESSION_TYPES.items()}
STATUS_NAMES = {1: "DISABLED", 2: "ACTIVE", 3: "DELETED"}
MARKER_PREFIX = "[kat:"
RECOVERY_WINDOW = 3600  # seconds back, by the server's clock, that a lost token is looked for


@dataclass
class Plan:
    """One token to create: the fields to send, and what was checked on the server."""
    expiry: int | None
    session_type: str | None
    session_user_id: str
    session_duration: int
    hash_type: str
    role_ref: str | None
    privacy_context: str
    extra_privileges: str
    description: str
    marker: str
    role: dict[str, Any] | None = None
    user_exists: bool | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def privileges(self) -> str:
        return privileges.build(self.role_ref, self.privacy_context, self.extra_privileges)


def new_marker() -> str:
    return f"{MARKER_PREFIX}{secrets.token_hex(6)}]"


def describe_origin(settings: Settings, user: str, script: str) -> str:
    when = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    admin = settings.userId or "the partner admin secret"
    return f"for {user or 'any user'}, created by {admin} with {TOOL} {script} on {when}"


def plan_from_settings(settings: Settings, script: str = "create_token.py", user: str | None = None,
                       description: str | None = None) -> Plan:
    user = settings.apptoken_user if user is None else user
    marker = new_marker()
    origin = describe_origin(settings, user, script)
    text = description if description is not None else settings.description
    full = f"{text} ({origin}) {marker}" if text else f"App token {origin} {marker}"
    return Plan(expiry=settings.token_expiry, session_type=settings.session_type, session_user_id=user,
                session_duration=settings.session_duration, hash_type=settings.hash_type,
                role_ref=settings.role_id, privacy_context=settings.privacy_context,
                extra_privileges=settings.extra_privileges, description=full, marker=marker)


def warnings_for(plan: Plan, per_user: bool = False) -> list[str]:
    out = []
    if plan.session_type == "ADMIN":
        out.append("session_type is ADMIN: every session from this token is an admin session (a role set with "
                   "role_id still restricts it); prefer USER unless the integration needs admin rights")
    if not plan.role_ref:
        out.append("no role_id: sessions get the default role of their session type; a role with only the "
                   "permissions the integration needs is safer (getroleid.py finds role ids)")
    if plan.hash_type in ("MD5", "SHA1"):
        out.append(f"hash_type {plan.hash_type} is weak; SHA256 is recommended")
    if not plan.session_user_id and not per_user:
        out.append("no apptoken_user: the holder may start sessions as any user id they choose")
    return out


def check_on_server(api: Api, plan: Plan, settings: Settings, create_user: bool) -> Plan:
    """Role and user checked in one request (more only when role_name must search past 500 roles)."""
    from KalturaClient.Plugins.Core import KalturaFilterPager
    calls: list[tuple[str, Any, dict]] = []
    search_by_name = not plan.role_ref and bool(settings.role_name)
    if plan.role_ref:
        flt = roles.role_filter(plan.role_ref)
        calls.append(("userRole.list", lambda c: c.userRole.list(flt), {}))
    elif search_by_name:
        pager = KalturaFilterPager()
        pager.pageSize = 500
        calls.append(("userRole.list", lambda c: c.userRole.list(None, pager), {}))
    if plan.session_user_id:
        calls.append(("user.get", lambda c: c.user.get(plan.session_user_id), {}))
    if not calls:
        return plan
    results = api.multi(calls)
    role_result = results[0] if (plan.role_ref or search_by_name) else None
    user_result = results[-1] if plan.session_user_id else None
    for result in (role_result, user_result):
        if isinstance(result, ServerError) and not (result is user_result and result.code == "INVALID_USER_ID"):
            raise result
    if plan.role_ref:
        found = [roles.as_dict(r) for r in role_result.objects or []]
        if not found:
            raise UsageError(f"role_id {plan.role_ref!r} names no role on partner {settings.partner_id} (neither "
                             "a partner role nor a system role); getroleid.py lists the roles")
        plan.role = found[0]
    elif search_by_name:
        plan.role = _resolve_role_name(api, role_result, settings)
        plan.role_ref = str(plan.role["id"])
        plan.notes.append(f"role_name {settings.role_name!r} matched {roles.describe(plan.role)}; using it")
    if plan.role and plan.role["status"] != "ACTIVE":
        plan.notes.append(f"role {roles.describe(plan.role)} is not active; sessions may be refused")
    if plan.session_user_id:
        plan.user_exists = not isinstance(user_result, ServerError)
        if not plan.user_exists and not create_user:
            raise UsageError(f"apptoken_user {plan.session_user_id!r} does not exist on partner "
                             f"{settings.partner_id}; Kaltura would create it silently, so a typo would make a "
                             "phantom user: check the spelling, or pass --create-user to create it")
        if not plan.user_exists:
            plan.notes.append(f"user {plan.session_user_id!r} does not exist yet; Kaltura creates it with the token")
    return plan


def _resolve_role_name(api: Api, first_page: Any, settings: Settings) -> dict[str, Any]:
    listed = [roles.as_dict(r) for r in first_page.objects or []]
    if first_page.totalCount > len(listed):
        listed = roles.all_roles(api)
    found = roles.matching(listed, settings.role_name)
    if len(found) == 1:
        return found[0]
    if not found:
        raise UsageError(f"role_name {settings.role_name!r} matches no role on partner {settings.partner_id}; "
                         "getroleid.py lists the roles")
    names = "; ".join(roles.describe(r) for r in found[:10])
    raise UsageError(f"role_name {settings.role_name!r} matches {len(found)} roles: {names}. Set role_id to the "
                     "id of the one you mean")


def as_kaltura(plan: Plan) -> Any:
    from KalturaClient.Plugins.Core import KalturaAppToken, KalturaAppTokenHashType, KalturaSessionType
    token = KalturaAppToken()
    token.hashType = getattr(KalturaAppTokenHashType, plan.hash_type)
    if plan.session_type:
        token.sessionType = getattr(KalturaSessionType, plan.session_type)
    token.sessionDuration = plan.session_duration
    if plan.expiry is not None:
        token.expiry = plan.expiry
    if plan.session_user_id:
        token.sessionUserId = plan.session_user_id
    if plan.privileges:
        token.sessionPrivileges = plan.privileges
    token.description = plan.description
    return token


def add(api: Api, plan: Plan) -> dict[str, Any]:
    """One appToken.add; not idempotent, so see create_once."""
    token = api.call("appToken.add", lambda c: c.appToken.add(as_kaltura(plan)), write=True)
    return as_dict(token)


@dataclass
class Created:
    token: dict[str, Any]
    notes: list[str] = field(default_factory=list)


def _marker_filter(plan: Plan) -> Any:
    """Tokens created within RECOVERY_WINDOW by the server's clock (a negative time is relative)."""
    from KalturaClient.Plugins.Core import KalturaAppTokenFilter
    flt = KalturaAppTokenFilter()
    flt.createdAtGreaterThanOrEqual = -RECOVERY_WINDOW
    if plan.session_user_id:
        flt.sessionUserIdEqual = plan.session_user_id
    return flt


def lookup(api: Api, plans: list[Plan]) -> list[list[dict[str, Any]]]:
    """For each plan, the tokens that carry its marker (and its user): one request for a whole chunk."""
    from KalturaClient.Plugins.Core import KalturaFilterPager
    if len(plans) == 1:
        flt = _marker_filter(plans[0])
        listed, _ = list_all(api, "appToken.list", lambda c, pager: c.appToken.list(flt, pager))
        pages = [listed]
    else:
        pager = KalturaFilterPager()
        pager.pageSize = 500
        pages = [r.objects or [] for r in api.multi(
            [("appToken.list", lambda c, f=_marker_filter(p): c.appToken.list(f, pager), {}) for p in plans],
            raise_errors=True)]
    return [[as_dict(t) for t in page if plan.marker in (t.description or "")] for plan, page in zip(plans, pages)]


def _add_all(api: Api, plans: list[Plan]) -> list[Any]:
    if len(plans) == 1:
        return [add(api, plans[0])]
    results = api.multi([("appToken.add", lambda c, p=p: c.appToken.add(as_kaltura(p)), {}) for p in plans],
                        write=True)
    return [r if isinstance(r, ServerError) else as_dict(r) for r in results]


def _ambiguous(exc: Exception) -> bool:
    """An error after which the add may have been committed."""
    return isinstance(exc, BadAnswer) or (isinstance(exc, Unreachable) and exc.sent)


def create_once(api: Api, plan: Plan) -> Created:
    result = create_many(api, [plan])[0]
    if isinstance(result, Exception):
        raise result
    return result


def create_many(api: Api, plans: list[Plan]) -> list[Any]:
    """Exactly one token per plan, also when the answer to the add is lost; a Created or an error each.

    After an add that may have reached the server (no answer, a 5xx, a garbled answer), give the
    server one more request_timeout to commit, look for each plan's marker, and either report the
    token found ("recovered") or add once more; then look again and revoke any second token that a
    slow server committed after the client gave up."""
    timeout = api.target.request_timeout
    started = time.monotonic()
    api.give_up_at = started + FAILING_RUN_BUDGET * timeout + timeout
    try:
        try:
            return [r if isinstance(r, ServerError) else Created(r) for r in _add_all(api, plans)]
        except (Unreachable, BadAnswer) as exc:
            if not _ambiguous(exc):
                raise
            first_error = exc
        time.sleep(max(0.0, started + 2 * timeout - time.monotonic()))
        out: list[Any] = [None] * len(plans)
        extras: list[str] = []
        for i, found in enumerate(lookup(api, plans)):
            if found:
                out[i] = Created(found[0], [f"the answer to appToken.add was lost ({first_error}), but the token "
                                            f"was created: recovered {found[0]['id']}"])
                extras += [t["id"] for t in found[1:]]
        retry = [i for i, r in enumerate(out) if r is None]
        if retry:
            _retry(api, plans, retry, out, extras, first_error, started + 3 * timeout)
        _revoke_extras(api, extras, out)
        return out
    finally:
        api.give_up_at = None


def _retry(api: Api, plans: list[Plan], retry: list[int], out: list[Any], extras: list[str],
           first_error: Exception, look_again_at: float) -> None:
    """The second add, for the plans whose first one left no token; then the second look."""
    subset = [plans[i] for i in retry]
    try:
        second = _add_all(api, subset)
    except (Unreachable, BadAnswer) as exc:
        if not _ambiguous(exc):
            raise
        for i, found in zip(retry, lookup(api, subset)):
            if found:
                out[i] = Created(found[0], [f"recovered {found[0]['id']} after a second lost answer"])
                extras += [t["id"] for t in found[1:]]
            else:
                out[i] = type(exc)(f"{exc}; no token with marker {plans[i].marker} exists, so nothing was created")
        return
    time.sleep(max(0.0, look_again_at - time.monotonic()))
    for i, result, found in zip(retry, second, lookup(api, subset)):
        if isinstance(result, ServerError):
            out[i] = result
            continue
        out[i] = Created(result, [f"appToken.add got no answer the first time ({first_error}); created "
                                  f"{result['id']} on the second try"])
        extras += [t["id"] for t in found if t["id"] != result["id"]]


def _revoke_extras(api: Api, extras: list[str], out: list[Any]) -> None:
    """Tokens a slow server committed after the client gave up: revoked, so one per plan survives."""
    if not extras:
        return
    results = api.multi([("appToken.delete", lambda c, i=i: c.appToken.delete(i), {"id": i}) for i in extras],
                        write=True)
    failed = [i for i, r in zip(extras, results) if isinstance(r, ServerError)]
    note = (f"a slow server also created {', '.join(extras)} after the client gave up; "
            + (f"could not revoke {', '.join(failed)}: use revoke_token.py" if failed else
               f"revoked {'them' if len(extras) > 1 else 'it'}, so one token per user exists"))
    for created in out:
        if isinstance(created, Created):
            created.notes.append(note)
            break


def get(api: Api, token_id: str) -> dict[str, Any]:
    return as_dict(api.call("appToken.get", lambda c: c.appToken.get(token_id), id=token_id))


def as_dict(token: Any) -> dict[str, Any]:
    """Kaltura's field names; enums by name; times as unix seconds."""
    session_type = enum_value(token.sessionType)
    return {"id": token.id, "token": token.token, "partnerId": token.partnerId,
            "createdAt": token.createdAt, "updatedAt": token.updatedAt,
            "status": STATUS_NAMES.get(enum_value(token.status), str(enum_value(token.status))),
            "expiry": token.expiry, "sessionType": SESSION_TYPE_NAMES.get(session_type) if session_type is not None
            else None, "sessionUserId": token.sessionUserId or None, "sessionDuration": token.sessionDuration,
            "sessionPrivileges": token.sessionPrivileges or "", "hashType": enum_value(token.hashType),
            "description": token.description or ""}


def bundle(token: dict[str, Any], service_url: str) -> dict[str, Any]:
    """What the holder needs: the token and where to use it."""
    keys = ("id", "token", "partnerId", "hashType", "sessionType", "sessionUserId", "sessionDuration", "expiry",
            "sessionPrivileges", "description")
    data = {k: token[k] for k in keys}
    data["serviceUrl"] = service_url
    return data


def describe(token: dict[str, Any], role_names: dict[str, str] | None = None, show_token: bool = True) -> str:
    """The human summary of one token, privileges explained one per line."""
    duration = token["sessionDuration"] or 0
    lines = [
        f"  id            {token['id']}",
        f"  token         {token['token'] if show_token else token['token'][:4] + '…'}",
        f"  partner       {token['partnerId']}",
        f"  expires       {describe_expiry(token['expiry'])}",
        f"  session type  {token['sessionType'] or 'not set (the holder may ask for ADMIN)'}",
        f"  session time  at most {duration} s ({describe_seconds(duration)}) per KS",
        f"  hash type     {token['hashType']}",
        f"  user          {token['sessionUserId'] or 'not set (the holder chooses any user id)'}",
    ]
    explained = privileges.explain(token["sessionPrivileges"], role_names) or [("(none)", "no privileges")]
    for i, (entry, meaning) in enumerate(explained):
        lines.append(f"  {'privileges' if i == 0 else '':<12}  {entry:<28} {meaning}")
    lines.append(f"  description   {token['description']}")
    return "\n".join(lines)


def preview(plan: Plan, settings: Settings) -> dict[str, Any]:
    """The token as it would be created, for --dry-run."""
    return {"id": "(new)", "token": "(made by the server)", "partnerId": settings.partner_id, "createdAt": None,
            "updatedAt": None, "status": "ACTIVE", "expiry": plan.expiry, "sessionType": plan.session_type,
            "sessionUserId": plan.session_user_id or None, "sessionDuration": plan.session_duration,
            "sessionPrivileges": plan.privileges, "hashType": plan.hash_type, "description": plan.description}
