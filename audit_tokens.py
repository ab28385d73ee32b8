"""Risk report over every active app token of the partner, for a security office.

Findings: never expires, expired but active, expires within 30 days, ADMIN or no session type,
MD5/SHA1, no role or a missing/blocked role, no user or a missing user, disableentitlement,
unknown privileges, sessions over 7 days. Severities: low, medium, high, critical.

Example:
  python audit_tokens.py --fail-on high        # exit 3 when a high finding exists
  python audit_tokens.py --csv > audit-2026-12.csv
"""
from __future__ import annotations

import argparse
import sys
import time

from kaltura_app_token import audit, cli, listing, output
from kaltura_app_token.expiry import describe_expiry

EXIT_FINDINGS = 3


def main(argv: list[str] | None = None) -> int:
    p = cli.parser(__doc__)
    p.add_argument("--csv", action="store_true", help="one CSV record per finding")
    p.add_argument("--fail-on", choices=audit.LEVELS, help="exit 3 when a finding at or above this level exists")
    args = p.parse_args(argv)
    return cli.run(lambda: report(args), args.debug)


def report(args: argparse.Namespace) -> int:
    with cli.admin_session(args) as (settings, api):
        tokens, roles, users = audit.fetch(api)
    now = time.time()
    results = [(t, audit.findings(t, roles, users, now)) for t in tokens]
    names = listing.role_names(roles)
    every = [f for _, found in results for f in found]
    counts = {level: sum(f.severity == level for f in every) for level in audit.LEVELS}
    if args.json:
        print(output.to_json({
            "partnerId": settings.partner_id, "generatedAt": int(now), "tokens": len(tokens), "counts": counts,
            "findings": [{"id": t["id"], "sessionUserId": t["sessionUserId"], "expiry": t["expiry"],
                          "findings": [{"code": f.code, "severity": f.severity, "message": f.message} for f in found]}
                         for t, found in results]}))
    elif args.csv:
        sys.stdout.write(output.to_csv(
            ("id", "sessionUserId", "role", "expiry", "severity", "code", "message"),
            [(t["id"], t["sessionUserId"] or "", listing.role_and_context(t, names)[0], t["expiry"] or "",
              f.severity, f.code, f.message) for t, found in results for f in found]))
    else:
        for token, found in results:
            role, context = listing.role_and_context(token, names)
            print(f"{token['id']}  user {token['sessionUserId'] or '(any)'}, role {role or '(none)'}, "
                  f"expires {describe_expiry(token['expiry'])}")
            for f in sorted(found, key=lambda f: -audit.LEVELS.index(f.severity)):
                print(f"    {f.severity:<8} {f.message}")
            if not found:
                print("    no findings")
        print(f"\n{len(tokens)} active token{'s' if len(tokens) != 1 else ''} on partner {settings.partner_id}; findings: "
              + ", ".join(f"{counts[level]} {level}" for level in reversed(audit.LEVELS)))
    if args.fail_on and audit.at_or_above(every, args.fail_on):
        return EXIT_FINDINGS
    return 0


if __name__ == "__main__":
    sys.exit(main())
