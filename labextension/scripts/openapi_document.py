"""Print the server's OpenAPI document as the frontend's types are generated from it.

The one change: the time-zone enum (every zone this machine's tz database knows) becomes a plain
string, so the generated types do not depend on the machine's tzdata version, and the schedule
form may send what the user typed (the server checks it and says what is wrong).
Run by generate-api-types.mjs with the Python that has orchestr_lab.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from orchestr_lab.core.limits import time_zones
from orchestr_lab.server_ext.openapi import openapi_document

ZONE = {"type": "string", "description": "an IANA time zone name, e.g. Europe/Paris"}


def without_zone_list(node: Any, zones: list[str]) -> Any:
    """``node`` with every ``{"type": "string", "enum": <all zones>}`` replaced by :data:`ZONE`."""
    if isinstance(node, dict):
        if node.get("enum") == zones:
            return {**{k: v for k, v in node.items() if k != "enum"}, **ZONE}
        return {key: without_zone_list(value, zones) for key, value in node.items()}
    if isinstance(node, list):
        return [without_zone_list(item, zones) for item in node]
    return node


if __name__ == "__main__":
    json.dump(without_zone_list(openapi_document(), sorted(time_zones())), sys.stdout, indent=1)
    sys.stdout.write("\n")
