"""python -m kaltura_sandbox: serve until interrupted; print one JSON line when ready."""
from __future__ import annotations

import argparse
import json
import signal
import sys
import threading

from .server import Sandbox


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kaltura_sandbox", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--partner-id", type=int, default=1234567)
    parser.add_argument("--admin-secret")
    parser.add_argument("--secret")
    parser.add_argument("--state", metavar="FILE", help="keep the state in this JSON file")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every API request")
    parser.add_argument("--ks-version", type=int, choices=(1, 2), default=2)
    args = parser.parse_args(argv)
    sandbox = Sandbox(partner_id=args.partner_id, admin_secret=args.admin_secret, secret=args.secret,
                      host=args.host, port=args.port, state_file=args.state, latency=args.latency,
                      ks_version=args.ks_version)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    sandbox.start()
    print(json.dumps({"service_url": sandbox.service_url, "partner_id": sandbox.partner_id,
                      "admin_secret": sandbox.admin_secret, "secret": sandbox.secret}), flush=True)
    stop.wait()
    sandbox.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
