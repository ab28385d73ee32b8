"""One token per user from a CSV: users checked and tokens made in multirequests of 50, resumable."""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from .client import Api
from .config import PUSER_ID, Settings
from .errors import BadAnswer, ServerError, SettingsError, Unreachable, UsageError
from .output import inside_unignored_git_tree, to_csv, to_json
from .tokens import MARKER_PREFIX, Created, Plan, as_dict, create_many, plan_from_settings

CHUNK = 50
RESULT_FIELDS = ("user_id", "id", "token", "expiry", "hashType", "sessionType", "sessionPrivileges", "partnerId",
                 "serviceUrl")


@dataclass
class Row:
    user_id: str
    description: str | None
    line: int


def read_users(path: str) -> list[Row]:
    """user_id (required) and description (optional); BOM, CRLF, blank lines and spaces tolerated;
    duplicates and invalid ids refused, all at once."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UsageError(f"--users {path} does not exist") from None
    except UnicodeDecodeError:
        raise UsageError(f"--users {path} is not UTF-8 text; save it as CSV UTF-8") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next((r for r in reader if any(c.strip() for c in r)), None)
    if header is None:
        raise UsageError(f"--users {path} is empty; it needs a header line with user_id")
    names = [h.strip().lower() for h in header]
    if "user_id" not in names:
        raise UsageError(f"--users {path} has no user_id column (its header is {','.join(header)!r}); "
                         "the first line must name the columns, e.g. user_id,description")
    uid, desc = names.index("user_id"), names.index("description") if "description" in names else None
    rows, problems, seen = [], [], {}
    for row in reader:
        line = reader.line_num
        if not any(c.strip() for c in row):
            continue
        user = row[uid].strip() if uid < len(row) else ""
        if not user:
            problems.append(f"line {line}: user_id is empty")
        elif not PUSER_ID.match(user):
            problems.append(f"line {line}: user_id {user!r} is not a user id Kaltura accepts (letters, digits, "
                            "! # $ % & ' * + ? ^ _ ` { | } ~ . @ -, up to 320)")
        elif user in seen:
            problems.append(f"line {line}: user_id {user!r} is already on line {seen[user]}")
        else:
            seen[user] = line
            description = row[desc].strip() if desc is not None and desc < len(row) else ""
            rows.append(Row(user, description or None, line))
    if problems:
        raise SettingsError(problems, f"--users {path}")
    if not rows:
        raise UsageError(f"--users {path} names no users")
    return rows


def batch_marker(partner_id: int, save_path: str) -> str:
    """The same for every run of the same command, so a rerun finds what an earlier run made."""
    digest = hashlib.sha256(f"{partner_id}|{Path(save_path).resolve()}".encode()).hexdigest()[:12]
    return f"{MARKER_PREFIX}{digest}]"


def check_results_file(path: str, force: bool) -> list[dict[str, Any]]:
    """The earlier results of this batch (a rerun), or [] for a new file; refused before anything is sent."""
    file = Path(path)
    if file.suffix.lower() not in (".json", ".csv"):
        raise UsageError(f"--save {path} must end in .json or .csv")
    if not file.parent.resolve().is_dir():
        raise UsageError(f"cannot write {path}: its folder does not exist")
    if not force and inside_unignored_git_tree(file):
        raise UsageError(f"{path} is inside a git work tree and not git-ignored, so tokens could be committed; "
                         "save it elsewhere, add it to .gitignore, or pass --force")
    if not file.exists():
        return []
    try:
        text = file.read_text(encoding="utf-8")
        records = json.loads(text) if file.suffix.lower() == ".json" else list(csv.DictReader(io.StringIO(text)))
    except (ValueError, OSError, UnicodeDecodeError):
        records = None
    if not isinstance(records, list) or any(not isinstance(r, dict) or "user_id" not in r or "id" not in r
                                            for r in records):
        raise UsageError(f"{path} already exists and is not the results file of a batch; it is never "
                         "overwritten: choose another file name")
    return records


def write_results(path: str, records: list[dict[str, Any]]) -> None:
    """All records, written to a temporary file (0600) and renamed over the results file."""
    file = Path(path)
    text = to_json(records) + "\n" if file.suffix.lower() == ".json" else \
        to_csv(RESULT_FIELDS, [[r.get(k, "") for k in RESULT_FIELDS] for r in records])
    fd, tmp = tempfile.mkstemp(dir=file.parent.resolve(), prefix=f".{file.name}.")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.chmod(tmp, 0o600)
    os.replace(tmp, file)


@dataclass
class Outcome:
    records: list[dict[str, Any]]
    created: int
    skipped: int
    failed: dict[str, str]
    notes: list[str]


def plans_for(settings: Settings, rows: list[Row], marker: str) -> list[Plan]:
    plans = []
    for row in rows:
        plan = plan_from_settings(settings, "create_token.py --users", user=row.user_id, description=row.description)
        plan.description = plan.description.replace(plan.marker, marker)
        plan.marker = marker
        plans.append(plan)
    return plans


def check_users(api: Api, plans: list[Plan], progress: Callable[[str], None]) -> tuple[set[str], dict[str, dict]]:
    """(users that do not exist, tokens this batch already made per user): a multirequest per 50 users."""
    from KalturaClient.Plugins.Core import KalturaAppTokenFilter, KalturaFilterPager
    missing: set[str] = set()
    existing: dict[str, dict] = {}
    pager = KalturaFilterPager()
    pager.pageSize = 500
    for start in range(0, len(plans), CHUNK):
        chunk = plans[start:start + CHUNK]
        calls: list[tuple[str, Any, dict]] = []
        for plan in chunk:
            flt = KalturaAppTokenFilter()
            flt.sessionUserIdEqual = plan.session_user_id
            calls.append(("user.get", lambda c, u=plan.session_user_id: c.user.get(u), {}))
            calls.append(("appToken.list", lambda c, f=flt: c.appToken.list(f, pager), {}))
        results = api.multi(calls)
        for plan, user, listed in zip(chunk, results[0::2], results[1::2]):
            if isinstance(listed, ServerError):
                raise listed
            if isinstance(user, ServerError):
                if user.code != "INVALID_USER_ID":
                    raise user
                missing.add(plan.session_user_id)
            mine = [t for t in listed.objects or [] if plan.marker in (t.description or "")]
            if mine:
                existing[plan.session_user_id] = as_dict(mine[0])
        progress(f"checked {min(start + CHUNK, len(plans))}/{len(plans)} users")
    return missing, existing


def record(token: dict[str, Any], service_url: str) -> dict[str, Any]:
    return {"user_id": token["sessionUserId"], "id": token["id"], "token": token["token"], "expiry": token["expiry"],
            "hashType": token["hashType"], "sessionType": token["sessionType"],
            "sessionPrivileges": token["sessionPrivileges"], "partnerId": token["partnerId"],
            "serviceUrl": service_url}


def run(api: Api, settings: Settings, rows: list[Row], previous: list[dict[str, Any]], marker: str,
        create_user: bool, progress: Callable[[str], None], save: Callable[[list[dict[str, Any]]], None]) -> Outcome:
    plans = plans_for(settings, rows, marker)
    missing, existing = check_users(api, plans, progress)
    if missing and not create_user:
        shown = ", ".join(sorted(missing)[:10]) + (" …" if len(missing) > 10 else "")
        raise UsageError(f"{len(missing)} user{'s do' if len(missing) != 1 else ' does'} not exist on partner "
                         f"{settings.partner_id}: {shown}. Kaltura would create them silently; check the CSV, or "
                         "pass --create-user")
    records = {r["user_id"]: r for r in previous}
    for user, token in existing.items():
        records.setdefault(user, record(token, settings.service_url))
    todo = [p for p in plans if p.session_user_id not in existing]
    failed: dict[str, str] = {}
    notes: list[str] = []
    created = 0
    for start in range(0, len(todo), CHUNK):
        chunk = todo[start:start + CHUNK]
        try:
            results = create_many(api, chunk)
        except (Unreachable, BadAnswer) as exc:  # this chunk could not be made; the others still are
            results = [exc] * len(chunk)
        for plan, result in zip(chunk, results):
            if isinstance(result, Created):
                records[plan.session_user_id] = record(result.token, settings.service_url)
                notes.extend(result.notes)
                created += 1
            else:
                failed[plan.session_user_id] = str(result)
        save([records[p.session_user_id] for p in plans if p.session_user_id in records])
        progress(f"created {created}/{len(todo)} tokens")
    ordered = [records[p.session_user_id] for p in plans if p.session_user_id in records]
    save(ordered)
    return Outcome(ordered, created, len(existing), failed, notes)
