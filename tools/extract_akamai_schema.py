"""Regenerate migrate/emitters/akamai/endpoint-schema.json from Akamai's openapi.json.

Usage: python tools/extract_akamai_schema.py [PATH_TO_OPENAPI_JSON]
(default: ../shared/vendor/akamai/openapi.json beside the project root)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from migrate.emitters.akamai.schema import AKAMAI_ENDPOINT_SCHEMA, dump_extract, extract_akamai_endpoint_schema

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = ROOT.parent / "shared" / "vendor" / "akamai" / "openapi.json"


def main(argv: list[str]) -> int:
    source = Path(argv[0]) if argv else DEFAULT_SOURCE
    openapi = json.loads(source.read_text(encoding="utf-8"))
    AKAMAI_ENDPOINT_SCHEMA.write_text(dump_extract(extract_akamai_endpoint_schema(openapi)), encoding="utf-8")
    print(f"wrote {AKAMAI_ENDPOINT_SCHEMA}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
