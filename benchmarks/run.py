"""Round trips and wall time of our scripts against the naive way, at injected latency.

    python benchmarks/run.py                 # 50 ms per request, full sizes
    python benchmarks/run.py --latency 0.1   # another latency
    python benchmarks/run.py --quick         # small sizes, for CI

Prints a Markdown table. The naive baselines use the official client the way the original
eharvey71/kaltura_app_token scripts and the default pager do.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kaltura_sandbox import Sandbox  # noqa: E402


def settings_text(sb: Sandbox) -> str:
    return (f"partner_id = {sb.partner_id}\nadmin_secret = {sb.admin_secret!r}\nservice_url = {sb.service_url!r}\n"
            "userId = 'bench@example.edu'\nrole_id = 'PLAYBACK_BASE_ROLE'\nprivacy_context = 'lectures'\n"
            "token_expiry = '180d'\napptoken_user = 'svc-bench'\nrequest_timeout = 30\n")


def measure(sb: Sandbox, fn: Callable[[], Any]) -> tuple[int, float]:
    sb.clear_requests()
    started = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        result = fn()
    elapsed = time.perf_counter() - started
    if result not in (None, 0):
        raise SystemExit(f"benchmark step failed with {result!r}")
    return len(sb.requests), elapsed


def script(name: str, *argv: str) -> Callable[[], Any]:
    import importlib
    module = importlib.import_module(name)
    return lambda: module.main(list(argv))


# -- the naive way ------------------------------------------------------------------

def official_client(sb: Sandbox) -> Any:
    from KalturaClient import KalturaClient, KalturaConfiguration
    config = KalturaConfiguration()
    config.serviceUrl = sb.service_url
    return KalturaClient(config)


def naive_create(sb: Sandbox, user: str) -> None:
    """As the original create_token.py: session.start, the role lookup, then appToken.add."""
    from KalturaClient.Plugins.Core import KalturaAppToken, KalturaSessionType, KalturaUserRoleFilter
    client = official_client(sb)
    client.setKs(client.session.start(sb.admin_secret, "bench@example.edu", KalturaSessionType.ADMIN,
                                      sb.partner_id))
    flt = KalturaUserRoleFilter()
    flt.systemNameEqual = "PLAYBACK_BASE_ROLE"
    role = client.userRole.list(flt).objects[0]
    token = KalturaAppToken()
    token.hashType, token.sessionUserId = "SHA256", user
    token.sessionPrivileges = f"setrole:{role.id},privacycontext:lectures"
    client.appToken.add(token)


def naive_list(sb: Sandbox) -> list[Any]:
    """Pages of 30 (the default pager) until the total is reached."""
    from KalturaClient.Plugins.Core import KalturaFilterPager, KalturaSessionType
    client = official_client(sb)
    client.setKs(client.session.start(sb.admin_secret, "", KalturaSessionType.ADMIN, sb.partner_id))
    found: list[Any] = []
    index = 1
    while True:
        pager = KalturaFilterPager()
        pager.pageIndex = index
        page = client.appToken.list(None, pager)
        found.extend(page.objects)
        if len(found) >= page.totalCount or not page.objects:
            return found
        index += 1


def naive_audit(sb: Sandbox) -> None:
    """Pages of 30, the roles once, then user.get for each bound user."""
    client = official_client(sb)
    tokens = naive_list(sb)
    from KalturaClient.Plugins.Core import KalturaSessionType
    client.setKs(client.session.start(sb.admin_secret, "", KalturaSessionType.ADMIN, sb.partner_id))
    client.userRole.list()
    for user in sorted({t.sessionUserId for t in tokens if t.sessionUserId}):
        client.user.get(user)


def seed_tokens(sb: Sandbox, count: int, users: int) -> None:
    from KalturaClient.Plugins.Core import KalturaAppToken, KalturaSessionType
    client = official_client(sb)
    client.setKs(client.session.start(sb.admin_secret, "", KalturaSessionType.ADMIN, sb.partner_id))
    for start in range(0, count, 100):
        client.startMultiRequest()
        for i in range(start, min(count, start + 100)):
            token = KalturaAppToken()
            token.sessionUserId, token.sessionType, token.hashType = f"user{i % users}", 0, "SHA256"
            token.sessionPrivileges = "setrole:PLAYBACK_BASE_ROLE"
            client.appToken.add(token)
        client.doMultiRequest()


def startup(argv: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(argv, cwd=ROOT, capture_output=True, check=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


# -- the table ----------------------------------------------------------------------

def row(name: str, ours: tuple[int | None, float], naive: tuple[int | None, float]) -> str:
    def req(n: int | None) -> str:
        return "–" if n is None else str(n)
    ratio = naive[1] / ours[1] if ours[1] else float("inf")
    return (f"| {name} | {req(ours[0])} | {ours[1]:.2f} s | {req(naive[0])} | {naive[1]:.2f} s | "
            f"{ratio:.1f}× |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--latency", type=float, default=0.05, help="seconds added to every request (0.05)")
    parser.add_argument("--quick", action="store_true", help="small sizes, for CI")
    args = parser.parse_args(argv)
    users, listed, audited, runs = (20, 100, 100, 1) if args.quick else (200, 2000, 2000, 5)
    latency = 0.005 if args.quick and args.latency == 0.05 else args.latency
    lines = [f"Latency {latency * 1000:.0f} ms per request{' (quick mode)' if args.quick else ''}.", "",
             "| scenario | ours: requests | ours: time | naive: requests | naive: time | naive / ours |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    with tempfile.TemporaryDirectory() as tmp, Sandbox() as sb:
        os.chdir(tmp)
        os.environ.pop("KALTURA_SETTINGS", None)
        Path("settings.py").write_text(settings_text(sb), encoding="utf-8")
        Path("settings.py").chmod(0o600)
        sb.add_user("svc-bench")
        sb.latency = latency
        lines.append(row("create one token (role and user checked)", measure(sb, script("create_token", "--json")),
                         measure(sb, lambda: naive_create(sb, "svc-bench"))))
        Path("users.csv").write_text("user_id\n" + "".join(f"teacher{i}\n" for i in range(users)), encoding="utf-8")
        ours = measure(sb, script("create_token", "--users", "users.csv", "--save", "out.json", "--create-user"))
        naive = measure(sb, lambda: [naive_create(sb, f"naive{i}") for i in range(users)] and None)
        lines.append(row(f"create {users} tokens for {users} users", ours, naive))
        sb.latency = 0.0
        sb.reset()
        seed_tokens(sb, listed, max(1, listed // 10))
        sb.latency = latency
        lines.append(row(f"list {listed} tokens", measure(sb, script("list_tokens", "--json")),
                         measure(sb, lambda: naive_list(sb) and None)))
        lines.append(row(f"audit {audited} tokens ({max(1, audited // 10)} users)",
                         measure(sb, script("audit_tokens", "--json")), measure(sb, lambda: naive_audit(sb))))
    python = sys.executable
    lines.append(row("start-up: `create_token.py --help` vs `python -c pass`",
                     (None, startup([python, "create_token.py", "--help"], runs)),
                     (None, startup([python, "-c", "pass"], runs))))
    lean = "from kaltura_app_token.client import Api, Target; Api(Target('https://x', 1))"
    full = "from KalturaClient import KalturaClient, KalturaConfiguration; KalturaClient(KalturaConfiguration())"
    lines.append(row("client start-up: Core plugin only vs every plugin",
                     (None, startup([python, "-c", lean], runs)), (None, startup([python, "-c", full], runs))))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
