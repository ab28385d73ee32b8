"""One module per API service; each exposes ACTIONS, keyed by lower-cased action name."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from .. import clock
from ..deserializer import Param
from ..ks import KS
from ..state import State


@dataclass
class Context:
    """What an action sees of its request."""
    state: State
    partner_id: int
    ks: KS | None
    ks_raw: str
    now: int = field(default_factory=lambda: int(clock.now()))


@dataclass(frozen=True)
class Action:
    name: str
    params: tuple[Param, ...]
    permissions: tuple[str, ...]
    handler: Callable[..., Any]
    writes: bool = False


def action(name: str, params: list[Param], permissions: tuple[str, ...], writes: bool = False
           ) -> Callable[[Callable[..., Any]], Action]:
    def wrap(fn: Callable[..., Any]) -> Action:
        return Action(name, tuple(params), permissions, fn, writes)
    return wrap


def page(rows: list[Any], pager: dict | None) -> tuple[list[Any], int]:
    """KalturaFilterPager: default 30, clamped 0..500, 0 = no limit; the totalCount rule."""
    pager = pager or {}
    size = pager.get("pageSize", 30)
    size = 30 if size is None else max(0, min(500, size))
    index = max(1, pager.get("pageIndex") or 1)
    if size == 0:
        chosen = rows
    else:
        chosen = rows[(index - 1) * size:index * size]
    n = len(chosen)
    total = (index - 1) * size + n if 0 < n < size else len(rows)
    return chosen, total


def in_list(text: str | None) -> list[str] | None:
    if not text:
        return None
    return [v.strip() for v in text.split(",")][:500]


def time_filters(rows: list[dict], flt: dict) -> list[dict]:
    for key, field_name, op in (("createdAtGreaterThanOrEqual", "createdAt", "ge"),
                                ("createdAtLessThanOrEqual", "createdAt", "le"),
                                ("updatedAtGreaterThanOrEqual", "updatedAt", "ge"),
                                ("updatedAtLessThanOrEqual", "updatedAt", "le")):
        if flt.get(key) is not None:
            bound = flt[key]
            rows = [r for r in rows if (r[field_name] >= bound if op == "ge" else r[field_name] <= bound)]
    return rows


def order(rows: list[dict], order_by: str | None, allowed: tuple[str, ...]) -> list[dict]:
    """Comma list of +field/-field; unknown entries silently dropped; stable."""
    keys = [k.strip() for k in (order_by or "").split(",") if k.strip() in allowed]
    for key in reversed(keys):
        rows = sorted(rows, key=lambda r, f=key[1:]: r[f], reverse=key[0] == "-")
    return rows
