"""KS privilege strings: built from settings, checked against what the server knows, explained."""
from __future__ import annotations

import re

# kSessionBase's PRIVILEGE_* names, plus view, widget and all (not reserved, but known).
KNOWN = {
    "edit": "may edit the entries listed ({v})",
    "sview": "may view the entries listed ({v})",
    "list": "may list entries ({v})",
    "download": "may download the entries listed ({v})",
    "downloadasset": "may download the assets listed ({v})",
    "editplaylist": "may edit the playlists listed ({v})",
    "sviewplaylist": "may view the playlists listed ({v})",
    "actionslimit": "each KS works for {v} calls only",
    "setrole": "sessions get the role {v} instead of the session type's default",
    "restrictingrole": "removes the permissions of role {v}",
    "limitentry": "limited to entry {v}",
    "iprestrict": "only from IP address {v}",
    "urirestrict": "only for API paths {v}",
    "enableentitlement": "entitlement is enforced (sessions see only what the user is entitled to)",
    "disableentitlement": "entitlement is NOT enforced: sessions see every entry of the partner",
    "disableentitlementforentry": "entitlement not enforced for entry {v}",
    "disableentitlementforplaylist": "entitlement not enforced for playlist {v}",
    "privacycontext": "sessions see entries in categories with privacy context \"{v}\"",
    "enablecategorymoderation": "category moderation is enabled",
    "reftime": "relative times count from {v}",
    "sessionkey": "session key {v}",
    "preview": "preview of {v} bytes",
    "sessionid": "belongs to session group {v} (deleting app token {v} ends it)",
    "jobtype": "batch job type {v}",
    "apptoken": "made from app token {v}",
    "enablechangeaccount": "may switch to account {v}",
    "edituser": "may edit user {v}",
    "enablecaptionmoderation": "caption moderation is enabled",
    "editadmintags": "may edit admin tags ({v})",
    "restrictexplicitliveview": "explicit live view is restricted",
    "virtualeventid": "limited to virtual event {v}",
    "searchcontext": "search context {v}",
    "disablesessiontypecheck": "the session type check is disabled",
    "view": "may view {v} (player access)",
    "widget": "a player (widget) session",
    "all": "all privileges",
}
# Set by the token's own fields or by the server; never by extra_privileges.
FROM_SETTINGS = {"setrole": "role_id", "privacycontext": "privacy_context"}
SERVER_SET = {"sessionid", "apptoken"}
_VALUE = re.compile(r"^[^,\s]+$")
_PERMISSION_NAME = re.compile(r"^[A-Z0-9_.]+$")


def split(text: str) -> list[tuple[str, str | None]]:
    """'a:b,c' -> [('a', 'b'), ('c', None)], as the server splits (commas first, then the first colon)."""
    entries = []
    for entry in (text or "").split(","):
        if entry == "":
            continue
        name, sep, value = entry.partition(":")
        entries.append((name, value if sep else None))
    return entries


def check_label(key: str, value: str) -> list[str]:
    """A single privilege value from a setting: no separators that would inject more privileges."""
    problems = []
    if "," in value:
        problems.append(f"{key} {value!r} holds a comma; the server splits privileges on commas, so it would "
                        "add a stray privilege")
    if ":" in value:
        problems.append(f"{key} {value!r} holds a colon, which would be read as a privilege value")
    if value != value.strip() or any(c.isspace() for c in value):
        problems.append(f"{key} {value!r} holds white space; remove it")
    return problems


def check_privacy_context(value: str) -> list[str]:
    if "," in value:
        first, rest = value.split(",", 1)
        return [f"privacy_context {value!r} names more than one context; the server splits privileges on commas, "
                f"so the token would get context {first.strip()!r} and a stray privilege {rest.strip()!r}. "
                "Give exactly one context (a token carries one privacy context)"]
    return check_label("privacy_context", value)


def check_extra(text: str, context_set: bool) -> list[str]:
    """extra_privileges: known names, no duplicates of role/context, nothing the server sets."""
    problems = []
    names = set()
    for name, value in split(text):
        shown = name if value is None else f"{name}:{value}"
        if name != name.strip() or not name:
            problems.append(f"extra_privileges entry {shown!r} has white space or no name; write name:value "
                            "entries separated by commas, without spaces")
            continue
        if _PERMISSION_NAME.match(name) and name.lower() not in KNOWN:
            problems.append(f"extra_privileges entry {name!r} looks like a role permission name, not a KS "
                            "privilege; give permissions to a role and set role_id instead")
            continue
        if name not in KNOWN:
            problems.append(f"extra_privileges entry {name!r} is not a privilege the server knows "
                            f"(known: {', '.join(sorted(KNOWN))})")
            continue
        if name in SERVER_SET:
            problems.append(f"extra_privileges entry {name!r} is set by the server on every session; remove it")
        elif name in FROM_SETTINGS:
            problems.append(f"extra_privileges entry {name!r} belongs in the {FROM_SETTINGS[name]} setting; "
                            "remove it from extra_privileges")
        if name in names:
            problems.append(f"extra_privileges names {name!r} twice")
        names.add(name)
        if value is not None and not _VALUE.match(value):
            problems.append(f"extra_privileges entry {shown!r} has an empty value or white space")
    if {"enableentitlement", "disableentitlement"} <= names:
        problems.append("extra_privileges has both enableentitlement and disableentitlement; the server lets "
                        "enable win, so remove the one you do not mean")
    if "disableentitlement" in names and context_set:
        problems.append("extra_privileges has disableentitlement while privacy_context is set; entitlement "
                        "would not be enforced, so the context would not limit anything")
    return problems


def build(role: str | None, privacy_context: str | None, extra: str | None) -> str:
    parts = []
    if role:
        parts.append(f"setrole:{role}")
    if privacy_context:
        parts.append(f"privacycontext:{privacy_context}")
    if extra:
        parts.extend(e for e in extra.split(",") if e)
    return ",".join(parts)


def explain(text: str, role_names: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """Each privilege with its meaning in words; unknown names are flagged."""
    out = []
    for name, value in split(text):
        shown = name if value is None else f"{name}:{value}"
        template = KNOWN.get(name)
        if template is None:
            out.append((shown, "not a privilege the server knows (perhaps left by a comma in a value)"))
            continue
        v = value or ""
        if name == "setrole" and role_names and v in role_names:
            v = f"{v} ({role_names[v]})"
        out.append((shown, template.format(v=v)))
    return out
