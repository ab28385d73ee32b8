"""Responses as the server writes them: XML (format=2) and JSON (format=1), notes §7."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .errors import APIError
from .schema import CLASSES


@dataclass
class Obj:
    """An API object: its class and its property values (missing means null)."""
    class_name: str
    values: dict[str, Any]


def _escape(text: str) -> str:
    return (text.replace("&", "&amp;").replace('"', "&quot;").replace("'", "&apos;")
            .replace("<", "&lt;").replace(">", "&gt;"))


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return f"{value:.14G}"
    return _escape(str(value))


def xml_value(value: Any, ignore_null: bool = False) -> str:
    """The inside of an element: scalar text, object children, items or an error."""
    if value is None:
        return ""
    if isinstance(value, APIError):
        return xml_error(value)
    if isinstance(value, Obj):
        parts = [f"<objectType>{value.class_name}</objectType>"]
        for prop in CLASSES[value.class_name]:
            v = value.values.get(prop.name)
            if v is None and ignore_null:
                continue
            parts.append(f"<{prop.name}>{xml_value(v, ignore_null)}</{prop.name}>")
        return "".join(parts)
    if isinstance(value, list):
        return "".join(f"<item>{xml_value(v, ignore_null)}</item>" for v in value)
    return _scalar(value)


def xml_error(error: APIError) -> str:
    args = "".join(
        f"<item><objectType>KalturaApiExceptionArg</objectType><name>{_escape(n)}</name>"
        f"<value>{_escape(v)}</value></item>" for n, v in error.args_list)
    return (f"<error><objectType>KalturaAPIException</objectType><code>{_escape(error.code)}</code>"
            f"<message>{_escape(error.message)}</message><args>{args}</args></error>")


def xml_document(result_inner: str, execution_time: float, declaration: bool = True) -> bytes:
    head = '<?xml version="1.0" encoding="utf-8"?>' if declaration else ""
    return (f"{head}<xml><result>{result_inner}</result>"
            f"<executionTime>{execution_time:.4f}</executionTime></xml>").encode("utf-8")


def json_value(value: Any) -> Any:
    """format=1: nulls dropped, objectType on each object, errors with an args map."""
    if isinstance(value, APIError):
        return {"code": value.code, "message": value.message, "objectType": "KalturaAPIException",
                "args": {n: v for n, v in value.args_list}}
    if isinstance(value, Obj):
        out: dict[str, Any] = {}
        for prop in CLASSES[value.class_name]:
            v = value.values.get(prop.name)
            if v is not None:
                out[prop.name] = json_value(v)
        out["objectType"] = value.class_name
        return out
    if isinstance(value, list):
        return [json_value(v) for v in value]
    return value


def json_document(value: Any) -> bytes:
    return json.dumps(json_value(value), separators=(",", ":")).encode("utf-8")

