"""The server's clock; tests may set it off from this computer's (a skewed server, an expired KS)."""
from __future__ import annotations

import time

offset = 0.0


def now() -> float:
    return time.time() + offset
