"""sarif-om objects -> JSON-ready data.

sarif-om builds SARIF as attrs classes but has no writer.  Each attrs field
carries its SARIF property name in ``metadata["schema_property_name"]``; a field
whose value equals its default is left out, since SARIF defines those defaults
(``kind: fail``, ``rank: -1``, ...) and readers apply them.  Names listed in
``keep`` are written even when they hold the default (hooklint always writes
``level``, which people and GitHub read directly).
"""

from __future__ import annotations

from typing import AbstractSet, Any

import attr

SCHEMA_PROPERTY = "schema_property_name"


def sarif_data(obj: Any, keep: AbstractSet[str] = frozenset()) -> Any:
    """Plain dicts, lists and scalars for ``obj`` (a sarif-om object or plain data)."""
    if attr.has(type(obj)):
        out: dict[str, Any] = {}
        for field in attr.fields(type(obj)):
            name = field.metadata.get(SCHEMA_PROPERTY, field.name)
            value = getattr(obj, field.name)
            if name not in keep and _is_default(value, field.default):
                continue
            out[name] = sarif_data(value, keep)
        return out
    if isinstance(obj, dict):
        return {str(key): sarif_data(value, keep) for key, value in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [sarif_data(item, keep) for item in obj]
    return obj


def _is_default(value: Any, default: Any) -> bool:
    if default is attr.NOTHING:  # a required property: always written
        return False
    if isinstance(default, attr.Factory):  # type: ignore[arg-type]
        default = default.factory()
    if isinstance(value, bool) != isinstance(default, bool):
        return False  # True == 1, but they are not the same JSON value
    return bool(value == default)
