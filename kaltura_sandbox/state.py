"""What the stand-in server holds: partners, tokens, roles, users, ended sessions."""
from __future__ import annotations

import copy
import json
import os
import secrets
import tempfile
import threading
from typing import Any

from . import clock

# Partner-0 system roles (03.UserRole.ini): id, name, systemName, permissions, tags, status.
SYSTEM_ROLES: list[tuple[int, str, str, str, str, int | None]] = [
    (1, "Basic User Session Role", "BASE_USER_SESSION_ROLE", "BASE_USER_SESSION_PERMISSION", "", 1),
    (2, "Publisher Administrator", "PARTNER_ADMIN_ROLE", "*", "kmc,partner_admin", 1),
    (3, "No Session", "NO_SESSION_ROLE", "ALWAYS_ALLOWED_ACTIONS", "", 1),
    (4, "Bulk Log Viewer Role", "BULK_LOG_VIEWER_ROLE", "BULK_LOG_VIEWER_PERMISSION", "", 1),
    (5, "Report Viewer Role", "REPORT_VIEWER_ROLE", "ANALYTICS_BASE", "", 1),
    (6, "Widget Session Role", "WIDGET_SESSION_ROLE", "WIDGET_SESSION_PERMISSION", "", 1),
    (7, "PLAYBACK BASE ROLE", "PLAYBACK_BASE_ROLE", "PLAYBACK_BASE_PERMISSION", "", 1),
    (8, "External Integration Services Role", "EXTERNAL_INTEGRATION_SERVICES_ROLE",
     "INTEGRATION_BASE", "", 1),
    (9, "KMS Webcast Widget Session Role", "KMS_WEBCAST_WIDGET_SESSION_ROLE", "WIDGET_SESSION_PERMISSION", "", 1),
    (10, "IVQ Widget Session Role", "IVQ_WIDGET_SESSION_ROLE", "WIDGET_SESSION_PERMISSION", "", 1),
    (11, "Capture device role", "CAPTURE_DEVICE_ROLE",
     "CONTENT_INGEST_UPLOAD,CONTENT_MANAGE_BASE,CAPTURE_DEVICE_PERMISSION", "", 1),
    (12, "WEbcast producer device role", "WEBCAST_PRODUCER_DEVICE_ROLE", "WEBCAST_PRODUCER_PERMISSION", "", 1),
    (13, "KMS User role", "KMS_USER_ROLE", "BASE_USER_SESSION_PERMISSION", "", None),
    (14, "Reach vendor role", "REACH_VENDOR_ROLE", "REACH_VENDOR_PARTNER_PERMISSION", "", 1),
    (15, "Upload User Role", "UPLOAD_USER_ROLE", "CONTENT_INGEST_UPLOAD", "", 1),
    (16, "Captions editor application role", "CAPTIONS_EDITOR_ROLE", "CAPTION_MODIFY", "", 1),
    (17, "Configuration editor role", "CONFIGURATION_EDITOR_ROLE", "CONFMAPS_BASE", "", 1),
    (18, "Configuration view role", "CONFIGURATION_VIEW_ROLE", "CONFMAPS_BASE", "", 1),
    (19, "Sso admin role", "SSO_ADMIN_ROLE", "SSO_BASE", "", 1),
    (20, "Kmc analytics role", "KMC_ANALYTICS_ROLE", "ANALYTICS_BASE", "", 1),
    (21, "Restore deleted entry role", "RESTORE_DELETED_ENTRY_ROLE", "CONTENT_MANAGE_BASE", "", 1),
    (22, "EP user analytics role", "EP_USER_ANALYTICS_ROLE", "ANALYTICS_BASE", "", 1),
    (23, "KMS restricted role", "KMS_RESTRICTED_ROLE", "BASE_USER_SESSION_PERMISSION", "", 1),
]

# Copied to every new partner from the template partner (01.UserRole.99.template.xml).
TEMPLATE_ROLES: list[tuple[str, str, str]] = [
    ("Manager", "KMC_ACCESS,KMC_READ_ONLY,CONTENT_MANAGE_BASE,ADMIN_BASE,ACCOUNT_BASE,APP_TOKEN_BASE",
     "Full access to content and account settings, except users and roles"),
    ("Content Uploader", "KMC_ACCESS,CONTENT_INGEST_UPLOAD,CONTENT_MANAGE_BASE", "Uploads and edits content"),
    ("Content Moderator", "KMC_ACCESS,CONTENT_MODERATE_BASE", "Moderates content"),
    ("Player Designer", "KMC_ACCESS,STUDIO_BASE", "Designs players"),
]

FIRST_PARTNER_ROLE_ID = 30000001


def random_hex(nbytes: int = 16) -> str:
    return secrets.token_hex(nbytes)


class State:
    """All data, guarded by one lock; saved as JSON after every change when a file is set."""

    def __init__(self, path: str | None = None) -> None:
        self.lock = threading.RLock()
        self.path = path
        self.data: dict[str, Any] = self._empty()
        if path and os.path.exists(path):
            with open(path, encoding="utf-8") as fh:
                self.data = json.load(fh)

    @staticmethod
    def _empty() -> dict[str, Any]:
        now = int(clock.now())
        roles = {}
        for rid, name, system_name, perms, tags, status in SYSTEM_ROLES:
            roles[str(rid)] = {"id": rid, "name": name, "systemName": system_name, "description": name,
                               "status": status, "partnerId": 0, "permissionNames": perms, "tags": tags,
                               "createdAt": now, "updatedAt": now}
        return {"partners": {}, "tokens": {}, "roles": roles, "users": {}, "invalid": {},
                "actions_used": {}, "next_role_id": FIRST_PARTNER_ROLE_ID}

    def save(self) -> None:
        """Write to a temp file and rename, so a crash never leaves half a file."""
        if not self.path:
            return
        directory = os.path.dirname(os.path.abspath(self.path))
        os.makedirs(directory, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".state-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(self.data, fh)
        os.replace(tmp, self.path)

    def reset(self) -> None:
        with self.lock:
            partners = self.data["partners"]
            self.data = self._empty()
            for p in partners.values():
                self.add_partner(p["id"], p["admin_secret"], p["secret"], p["ks_version"])

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            return copy.deepcopy(self.data)

    # -- partners -------------------------------------------------------------

    def add_partner(self, partner_id: int, admin_secret: str | None = None, secret: str | None = None,
                    ks_version: int = 2, ks_max_expiry: int = 86400) -> dict[str, Any]:
        with self.lock:
            partner = {"id": partner_id, "admin_secret": admin_secret or random_hex(),
                       "secret": secret or random_hex(), "ks_version": ks_version,
                       "ks_max_expiry": ks_max_expiry, "status": 1}
            self.data["partners"][str(partner_id)] = partner
            now = int(clock.now())
            for name, perms, description in TEMPLATE_ROLES:
                self.insert_role({"name": name, "systemName": "", "description": description, "status": 1,
                                  "partnerId": partner_id, "permissionNames": perms, "tags": "kmc",
                                  "createdAt": now, "updatedAt": now})
            self.save()
            return dict(partner)

    def partner(self, partner_id: int) -> dict[str, Any] | None:
        return self.data["partners"].get(str(partner_id))

    def admin_secrets(self, partner_id: int) -> list[str]:
        partner = self.partner(partner_id)
        return [partner["admin_secret"]] if partner else []

    # -- roles ----------------------------------------------------------------

    def insert_role(self, role: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            role["id"] = self.data["next_role_id"]
            self.data["next_role_id"] += 1
            self.data["roles"][str(role["id"])] = role
            return role

    def visible_roles(self, partner_id: int) -> list[dict[str, Any]]:
        """partner_id IN (0, partner), not deleted, in id order."""
        return [r for r in self.data["roles"].values()
                if r["partnerId"] in (0, partner_id) and r["status"] != 3]

    def find_role(self, partner_id: int, ref: str) -> dict[str, Any] | None:
        """A setrole value: numeric id or system name, of the partner or partner 0."""
        for role in self.visible_roles(partner_id):
            if (ref.isdigit() and role["id"] == int(ref)) or (role["systemName"] and role["systemName"] == ref):
                return role
        return None

    # -- users ----------------------------------------------------------------

    @staticmethod
    def user_key(partner_id: int, user_id: str) -> str:
        return f"{partner_id}/{user_id}"

    def user(self, partner_id: int, user_id: str) -> dict[str, Any] | None:
        user = self.data["users"].get(self.user_key(partner_id, user_id))
        return user if user and user["status"] != 2 else None

    def put_user(self, user: dict[str, Any]) -> None:
        self.data["users"][self.user_key(user["partnerId"], user["id"])] = user

    # -- invalidated sessions -------------------------------------------------

    def invalidate(self, key: str, until: int | None) -> None:
        self.data["invalid"][key] = until

    def is_invalid(self, key: str) -> bool:
        if key not in self.data["invalid"]:
            return False
        until = self.data["invalid"][key]
        return until is None or until > clock.now()
