"""--sandbox: an in-process stand-in server whose state lives in .sandbox/, with a demo partner and roles."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

DEMO_ROLES = [
    ("Lecture Capture Integration", "LECTURE_CAPTURE_INTEGRATION",
     "CONTENT_INGEST_UPLOAD,CONTENT_MANAGE_BASE,CAPTURE_DEVICE_PERMISSION", "Uploads lecture recordings"),
    ("Read-only API", "READ_ONLY_API", "KMC_READ_ONLY,CONTENT_MANAGE_BASE", "Lists and reads content"),
    ("Captions Vendor", "CAPTIONS_VENDOR", "CAPTION_MODIFY,CONTENT_MANAGE_BASE", "Adds captions to entries"),
]


def state_dir() -> Path:
    return Path(os.environ.get("KALTURA_SANDBOX_DIR") or Path.cwd() / ".sandbox")


def start(partner_id: int) -> Any:
    """The demo sandbox, started; the caller stops it."""
    from kaltura_sandbox import Sandbox
    directory = state_dir()
    directory.mkdir(parents=True, exist_ok=True)
    sandbox = Sandbox(partner_id=partner_id, state_file=str(directory / "state.json")).start()
    existing = {r["name"] for r in sandbox.state.visible_roles(partner_id)}
    for name, system_name, permissions, description in DEMO_ROLES:
        if name not in existing:
            sandbox.add_role(name, permissions, system_name=system_name, description=description,
                             tags="demo")
    return sandbox
