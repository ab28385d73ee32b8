"""Find Kaltura role ids by partial name (KMC does not show them).

Searches the name, system name and description of every role, the partner's own and the
system roles, case-insensitively.

Example:
  python getroleid.py capture
  python getroleid.py --sandbox "read-only" --json
"""
from __future__ import annotations

import argparse
import sys

from kaltura_app_token import cli, output, roles
from kaltura_app_token.errors import UsageError


def main(argv: list[str] | None = None) -> int:
    p = cli.parser(__doc__)
    p.add_argument("name", nargs="?", help="part of a role name (default: role_name from settings.py)")
    args = p.parse_args(argv)
    return cli.run(lambda: find(args), args.debug)


def find(args: argparse.Namespace) -> int:
    with cli.admin_session(args) as (settings, api):
        text = args.name if args.name is not None else settings.role_name
        if not text:
            raise UsageError("give part of a role name, e.g. 'python getroleid.py capture', or set role_name "
                             "in settings.py")
        every = roles.all_roles(api)
        found = roles.matching(every, text)
    if args.json:
        print(output.to_json(found))
    elif found:
        print(output.table(("id", "name", "system name", "status", "scope", "permissions"),
                           [(r["id"], r["name"], r["systemName"], r["status"], "system" if r["system"] else "partner",
                             abridge(r["permissionNames"])) for r in found]))
    if not found:
        some = ", ".join(r["name"] for r in every[:8])
        cli.say(f"no role matches {text!r} among {len(every)} roles (name, system name and description were "
                f"searched); some that exist: {some}")
    return 0


def abridge(text: str, width: int = 48) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


if __name__ == "__main__":
    sys.exit(main())
