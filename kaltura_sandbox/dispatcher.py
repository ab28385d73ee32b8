"""One API call in the server's order of checks (§1.3), and multirequest (§8)."""
from __future__ import annotations

import re
from typing import Any, Callable, Optional

from . import clock
from . import ks as ksmod
from .deserializer import deserialize, php_int
from .errors import APIError, invalid_ks
from .permissions import allowed, session_permissions
from .serializer import Obj
from .services import Action, Context, apptoken, session, user, userrole
from .state import State

SERVICES: dict[str, dict[str, Action]] = {
    "apptoken": apptoken.ACTIONS,
    "session": session.ACTIONS,
    "userrole": userrole.ACTIONS,
    "user": user.ACTIONS,
}
_REFERENCE = re.compile(r"\{(\d+):result((?::[^{}:]*)*)\}")


def resolve(service: Any, action_name: Any) -> tuple[str, Action]:
    if not service:
        raise APIError("SERVICE_NOT_SPECIFIED")
    service_id = str(service).lower()
    if service_id not in SERVICES:
        raise APIError("SERVICE_DOES_NOT_EXISTS", service_id)
    if not action_name:
        raise APIError("ACTION_NOT_SPECIFIED")
    act = SERVICES[service_id].get(str(action_name).lower())
    if act is None:
        raise APIError("ACTION_DOES_NOT_EXISTS", action_name, service_id)
    return service_id, act


def _validate_ks(state: State, ks: ksmod.KS, request_uri: str, client_ip: str, now: int) -> None:
    """Expiry, restrictions, invalidation, actions limit: all reported as INVALID_KS."""
    privileges = ks.privilege_map()
    if ks.valid_until <= now:
        raise invalid_ks("EXPIRED")
    if "iprestrict" in privileges and client_ip not in privileges["iprestrict"]:
        raise invalid_ks("EXCEEDED_RESTRICTED_IP")
    if "urirestrict" in privileges:
        uris = "/".join(privileges["urirestrict"]).split("|")
        if not any(request_uri == u or (u.endswith("*") and request_uri.startswith(u[:-1])) for u in uris):
            raise invalid_ks("EXCEEDED_RESTRICTED_URI")
    if not ks.is_widget_session:
        keys = [ksmod.ks_key(ks.raw)] + [ksmod.session_id_key(ks.partner_id, s)
                                         for s in privileges.get("sessionid", [])]
        if any(state.is_invalid(k) for k in keys):
            raise invalid_ks("LOGOUT")
    if "actionslimit" in privileges:
        limit = privileges["actionslimit"][0] if privileges["actionslimit"] else ""
        if not limit.isdigit() or int(limit) <= 0:
            raise APIError("INVALID_ACTIONS_LIMIT")
        used = state.data["actions_used"].get(ksmod.ks_key(ks.raw), 0)
        if used >= int(limit):
            raise invalid_ks("EXCEEDED_ACTIONS_LIMIT")
        state.data["actions_used"][ksmod.ks_key(ks.raw)] = used + 1


Hook = Callable[[str, dict[str, Any]], Optional[str]]


def call(state: State, params: dict[str, Any], request_uri: str = "", client_ip: str = "127.0.0.1",
         fault: Hook | None = None) -> Any:
    """Run one service action; returns its result or the APIError it raised.

    `fault` may name an error code for the call (fault injection), raised in place of running it."""
    try:
        with state.lock:
            return _call(state, params, request_uri, client_ip, fault)
    except APIError as error:
        return error


def _call(state: State, params: dict[str, Any], request_uri: str, client_ip: str, fault: Hook | None) -> Any:
    service_id, act = resolve(params.get("service"), params.get("action"))
    injected = fault(f"{service_id}.{act.name.lower()}", params) if fault else None
    if injected:
        raise APIError(injected)
    now = int(clock.now())
    ks_raw = params.get("ks") or ""
    ks_raw = ks_raw if isinstance(ks_raw, str) else ""
    ks = None
    if ks_raw:
        ks = ksmod.parse(ks_raw, state.admin_secrets)
        if ks is None:
            raise invalid_ks(ks_raw)
    args = deserialize(params, list(act.params))
    if ks is not None:
        _validate_ks(state, ks, request_uri, client_ip, now)
    if "partnerId" in params and php_int(params["partnerId"]) != 0 \
            and state.partner(php_int(params["partnerId"])) is None:
        raise APIError("SERVICE_FORBIDDEN_CONTENT_BLOCKED")
    partner_id = ks.partner_id if ks else php_int(params.get("partnerId"))
    if ks is not None and ks.user_id:
        ks_user = state.user(partner_id, ks.user_id)
        if ks_user is not None and ks_user["status"] == 0:
            raise APIError("USER_BLOCKED")
    granted = session_permissions(state, partner_id, ks)
    if not allowed(granted, act.permissions):
        raise APIError("SERVICE_FORBIDDEN", f"{service_id}->{act.name}")
    result = act.handler(Context(state, partner_id, ks, ks_raw, now), **args)
    if act.writes:
        state.save()
    return result


# -- multirequest ----------------------------------------------------------------

def _nest(target: dict[str, Any], path: list[str], value: Any) -> None:
    for part in path[:-1]:
        child = target.get(part)
        if not isinstance(child, dict):
            child = target[part] = {}
        target = child
    target[path[-1]] = value


def group_params(flat: dict[str, Any]) -> dict[str, Any]:
    """`a:b=v` becomes {a: {b: v}} (KalturaRequestDeserializer::groupParams)."""
    out: dict[str, Any] = {}
    for key, value in flat.items():
        if ":" in key:
            _nest(out, key.split(":"), value)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key].update(value)
        else:
            out[key] = value
    return out


def _path_value(result: Any, path: list[str]) -> str:
    value = result
    for i, segment in enumerate(path):
        if isinstance(value, Obj):
            value = value.values.get(segment)
        elif isinstance(value, list):
            if segment == "_all" and i + 1 < len(path):
                return "".join(f"{_path_value(v, path[i + 1:])}," for v in value)
            value = value[int(segment)] if segment.isdigit() and int(segment) < len(value) else None
        else:
            return ""
    if value is None or isinstance(value, (Obj, list, APIError)):
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def _substitute(value: Any, results: list[Any]) -> Any:
    if isinstance(value, dict):
        return {k: _substitute(v, results) for k, v in value.items()}
    if not isinstance(value, str):
        return value

    def replace(match: re.Match) -> str:
        index = int(match.group(1))
        if not 1 <= index <= len(results):
            return match.group(0)
        path = [p for p in match.group(2).split(":") if p]
        return _path_value(results[index - 1], path)
    return _REFERENCE.sub(replace, value)


def split_multirequest(params: dict[str, Any]) -> list[dict[str, Any]]:
    """Sub-requests in index order, with the common ks/partnerId/clientTag copied in."""
    subs: dict[int, dict[str, Any]] = {}
    common: dict[str, Any] = {}
    for key, value in params.items():
        head, sep, rest = key.partition(":")
        if head.isdigit() and not sep and isinstance(value, dict):
            subs.setdefault(int(head), {}).update(value)
        elif head.isdigit() and sep:
            _nest(subs.setdefault(int(head), {}), rest.split(":"), value)
        else:
            common[key] = value
    ordered = []
    for index in sorted(subs):
        sub = subs[index]
        if not sub.get("service") or not sub.get("action"):
            break
        for key in ("clientTag", "ks", "partnerId"):
            if key in common and key not in sub:
                sub[key] = common[key]
        ordered.append(sub)
    return ordered


def multirequest(state: State, params: dict[str, Any], request_uri: str = "",
                 client_ip: str = "127.0.0.1", fault: Hook | None = None) -> list[Any]:
    results: list[Any] = []
    for sub in split_multirequest(params):
        results.append(call(state, _substitute(sub, results), request_uri, client_ip, fault))
    return results


def call_names(params: dict[str, Any]) -> list[str]:
    """`service.action` of each call an HTTP request holds, for the log and for faults."""
    if str(params.get("service", "")).lower() == "multirequest":
        return [f"{str(s['service']).lower()}.{str(s['action']).lower()}" for s in split_multirequest(params)]
    return [f"{str(params.get('service', '')).lower()}.{str(params.get('action', '')).lower()}"]
