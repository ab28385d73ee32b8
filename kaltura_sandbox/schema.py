"""Declared API types: enums, object classes with their properties in declared order."""
from __future__ import annotations

from dataclasses import dataclass

ENUMS_INT: dict[str, dict[str, int]] = {
    "KalturaSessionType": {"USER": 0, "ADMIN": 2},
    "KalturaAppTokenStatus": {"DISABLED": 1, "ACTIVE": 2, "DELETED": 3},
    "KalturaUserRoleStatus": {"ACTIVE": 1, "BLOCKED": 2, "DELETED": 3},
    "KalturaUserStatus": {"BLOCKED": 0, "ACTIVE": 1, "DELETED": 2},
}
ENUMS_STR: dict[str, tuple[str, ...]] = {
    "KalturaAppTokenHashType": ("SHA1", "MD5", "SHA256", "SHA512"),
}


@dataclass(frozen=True)
class Prop:
    name: str
    type: str  # string, int, bool, time, an enum name, or an object class name
    readonly: bool = False


def _props(spec: str) -> tuple[Prop, ...]:
    """'name:type[:ro] ...' -> props; keeps the tables below readable."""
    out = []
    for item in spec.split():
        name, type_, *flags = item.split(":")
        out.append(Prop(name, type_, "ro" in flags))
    return tuple(out)


_OBJECT = "relatedObjects:array:ro"
_FILTER = "orderBy:string advancedSearch:ignored"
_TIMES = ("createdAtGreaterThanOrEqual:time createdAtLessThanOrEqual:time "
          "updatedAtGreaterThanOrEqual:time updatedAtLessThanOrEqual:time")

CLASSES: dict[str, tuple[Prop, ...]] = {
    "KalturaAppToken": _props(
        f"{_OBJECT} id:string:ro token:string:ro partnerId:int:ro createdAt:time:ro updatedAt:time:ro "
        "status:KalturaAppTokenStatus:ro expiry:time sessionType:KalturaSessionType sessionUserId:string "
        "sessionDuration:int sessionPrivileges:string hashType:KalturaAppTokenHashType description:string"),
    "KalturaUserRole": _props(
        f"{_OBJECT} id:int:ro name:string systemName:string description:string status:KalturaUserRoleStatus "
        "partnerId:int:ro permissionNames:string tags:string createdAt:time:ro updatedAt:time:ro"),
    "KalturaUser": _props(
        f"{_OBJECT} id:string partnerId:int:ro screenName:string fullName:string email:string "
        "description:string tags:string status:KalturaUserStatus createdAt:time:ro updatedAt:time:ro "
        "isAdmin:bool roleIds:string roleNames:string:ro isAccountOwner:bool firstName:string lastName:string"),
    "KalturaAppTokenFilter": _props(
        f"{_FILTER} idEqual:string idIn:string {_TIMES} statusEqual:KalturaAppTokenStatus statusIn:string "
        "sessionUserIdEqual:string"),
    "KalturaUserRoleFilter": _props(
        f"{_FILTER} idEqual:int idIn:string nameEqual:string nameIn:string systemNameEqual:string "
        "systemNameIn:string descriptionLike:string statusEqual:KalturaUserRoleStatus statusIn:string "
        f"partnerIdEqual:int partnerIdIn:string tagsMultiLikeOr:string tagsMultiLikeAnd:string {_TIMES}"),
    "KalturaUserFilter": _props(
        f"{_FILTER} idEqual:string idIn:string statusEqual:KalturaUserStatus statusIn:string"),
    "KalturaFilterPager": _props("pageSize:int pageIndex:int"),
    "KalturaAppTokenListResponse": _props(f"{_OBJECT} totalCount:int objects:array"),
    "KalturaUserRoleListResponse": _props(f"{_OBJECT} totalCount:int objects:array"),
    "KalturaUserListResponse": _props(f"{_OBJECT} totalCount:int objects:array"),
    "KalturaSessionInfo": _props(
        f"{_OBJECT} ks:string sessionType:KalturaSessionType partnerId:int userId:string expiry:time "
        "privileges:string"),
    "KalturaStartWidgetSessionResponse": _props(f"{_OBJECT} partnerId:int ks:string userId:string"),
}

