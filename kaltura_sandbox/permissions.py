"""Which permissions a request's session has (kPermissionManager::getRoleIds, notes §9.2)."""
from __future__ import annotations

from .errors import APIError
from .ks import KS
from .state import State

ALL = frozenset({"*"})
ALWAYS_ALLOWED = "ALWAYS_ALLOWED_ACTIONS"


def _role_permissions(roles: list[dict]) -> frozenset[str]:
    names: set[str] = {ALWAYS_ALLOWED}
    for role in roles:
        for name in (role.get("permissionNames") or "").split(","):
            if name.strip() == "*":
                return ALL
            if name.strip():
                names.add(name.strip())
    return frozenset(names)


def _system_role(state: State, system_name: str) -> list[dict]:
    return [r for r in state.visible_roles(0) if r["systemName"] == system_name]


def session_permissions(state: State, partner_id: int, ks: KS | None) -> frozenset[str]:
    """No KS, setrole, the user's own roles, then the session type's default role."""
    if ks is None:
        return frozenset({ALWAYS_ALLOWED})
    set_roles = ks.privilege_map().get("setrole")
    if set_roles is not None:
        roles = []
        for ref in set_roles:
            if ref.lstrip("-").isdigit() and int(ref) < 0:
                raise APIError("INVALID_SET_ROLE")
            role = state.find_role(partner_id, ref)
            if role is None:
                raise APIError("INVALID_OBJECT_ID", None)
            roles.append(role)
        return _role_permissions(roles)
    user = state.user(partner_id, ks.user_id) if ks.user_id else None
    if user and user["status"] == 1 and user.get("roleIds"):
        roles = [state.data["roles"].get(rid.strip()) for rid in user["roleIds"].split(",")]
        return _role_permissions([r for r in roles if r])
    if ks.is_widget_session:
        return _role_permissions(_system_role(state, "WIDGET_SESSION_ROLE"))
    if ks.is_admin:
        return _role_permissions(_system_role(state, "PARTNER_ADMIN_ROLE"))
    return _role_permissions(_system_role(state, "BASE_USER_SESSION_ROLE"))


def allowed(granted: frozenset[str], required: tuple[str, ...]) -> bool:
    return granted is ALL or ALWAYS_ALLOWED in required or any(p in granted for p in required)
