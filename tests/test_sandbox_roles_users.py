"""userRole and user services."""
from __future__ import annotations

from conftest import admin_ks, make_client
from KalturaClient.Plugins.Core import KalturaFilterPager, KalturaUser, KalturaUserRole, KalturaUserRoleFilter


def role(**fields) -> KalturaUserRole:
    r = KalturaUserRole()
    for k, v in fields.items():
        setattr(r, k, v)
    return r


def test_list_holds_partner_and_system_roles(sb, admin):
    result = admin.userRole.list(None, KalturaFilterPager(pageSize=500))
    partners = {r.partnerId for r in result.objects}
    assert partners == {0, sb.partner_id}
    names = {r.name for r in result.objects}
    assert {"Publisher Administrator", "Basic User Session Role", "PLAYBACK BASE ROLE",
            "Capture device role", "Manager", "Content Uploader"} <= names
    assert result.totalCount == len(result.objects) == 27
    admin_role = [r for r in result.objects if r.systemName == "PARTNER_ADMIN_ROLE"][0]
    assert admin_role.permissionNames == "*" and admin_role.tags == "kmc,partner_admin"


def test_add_get_update_delete(sb, admin, raises_kaltura):
    added = admin.userRole.add(role(name="Integration", systemName="INTEGRATION", permissionNames="APP_TOKEN_BASE",
                                    description="vendor access", tags="api"))
    assert added.partnerId == sb.partner_id and added.status.getValue() == 1
    assert admin.userRole.get(added.id).name == "Integration"
    raises_kaltura("ROLE_NAME_ALREADY_EXISTS", "A role with the same name already exists",
                   admin.userRole.add, role(name="Integration"))
    raises_kaltura("SYSTEM_NAME_ALREADY_EXISTS", "System name [INTEGRATION] already exists",
                   admin.userRole.add, role(name="Other", systemName="INTEGRATION"))
    raises_kaltura("PROPERTY_VALIDATION_CANNOT_BE_NULL", 'The property "KalturaUserRole::name" cannot be null',
                   admin.userRole.add, role(description="nameless"))
    assert admin.userRole.update(added.id, role(description="changed")).description == "changed"
    admin.userRole.delete(added.id)
    raises_kaltura("INVALID_OBJECT_ID", f"Invalid object id [{added.id}]", admin.userRole.get, added.id)
    raises_kaltura("INVALID_OBJECT_ID", None, admin.userRole.delete, 2)  # system roles are not ours


def test_filters(sb, admin):
    admin.userRole.add(role(name="Lecture capture", description="Capture Devices", tags="capture,kmc"))

    def names(**fields) -> set[str]:
        flt = KalturaUserRoleFilter()
        for k, v in fields.items():
            setattr(flt, k, v)
        return {r.name for r in admin.userRole.list(flt, KalturaFilterPager(pageSize=500)).objects}
    assert names(descriptionLike="capture devices") == {"Lecture capture"}
    assert names(tagsMultiLikeAnd="capture,kmc") == {"Lecture capture"}
    assert "Manager" in names(tagsMultiLikeOr="capture,kmc")
    assert names(systemNameEqual="PLAYBACK_BASE_ROLE") == {"PLAYBACK BASE ROLE"}
    assert names(partnerIdEqual=0) >= {"Publisher Administrator"} and "Manager" not in names(partnerIdEqual=0)
    assert names(idIn="1,2") == {"Basic User Session Role", "Publisher Administrator"}


def test_users_and_roles_decide_permissions(sb, admin, raises_kaltura):
    manager = [r for r in sb.state.visible_roles(sb.partner_id) if r["name"] == "Manager"][0]
    user = KalturaUser()
    user.id, user.roleIds, user.isAdmin = "kmcuser", str(manager["id"]), True
    added = admin.user.add(user)
    assert added.roleNames == "Manager"
    raises_kaltura("DUPLICATE_USER_BY_ID", "User with id [kmcuser] already exists in system", admin.user.add, user)
    assert admin.user.get("kmcuser").id == "kmcuser"
    raises_kaltura("INVALID_USER_ID", "Invalid user id", admin.user.get, "nobody")
    # An ADMIN KS for a user with a restricted role is restricted.
    restricted = make_client(sb, admin_ks(sb, user_id="kmcuser"))
    assert restricted.appToken.list().totalCount == 0
    raises_kaltura("SERVICE_FORBIDDEN", None, restricted.userRole.add, role(name="x"))
    raises_kaltura("ROLE_IS_BEING_USED", "Role is being used", admin.userRole.delete, manager["id"])
    assert admin.user.list().totalCount == 1
    admin.user.delete("kmcuser")
    assert admin.user.list().totalCount == 0


def test_more_than_500_roles_page(sb, admin):
    for i in range(510):
        sb.state.insert_role({"name": f"bulk {i}", "systemName": "", "description": "", "status": 1,
                              "partnerId": sb.partner_id, "permissionNames": "", "tags": "",
                              "createdAt": 0, "updatedAt": 0})
    first = admin.userRole.list(None, KalturaFilterPager(pageSize=1000))
    assert len(first.objects) == 500 and first.totalCount == 537
