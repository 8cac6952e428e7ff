from __future__ import annotations

import json
from pathlib import Path

from migrate.core.diagnostics import Code, Report, Severity


def test_every_code_has_a_fixed_severity_and_meaning() -> None:
    for code in Code:
        assert isinstance(code.severity, Severity)
        assert code.meaning


def test_report_counts_dedupes_and_fails_by_strictness() -> None:
    r = Report()
    r.report(Code.ENUM_DROPPED, "/paths/~1a/get/parameters/0", "enum [1, 2] dropped")
    r.report(Code.ENUM_DROPPED, "/paths/~1a/get/parameters/0", "enum [1, 2] dropped")
    r.report(Code.BOUND_ADJUSTED, "/x", "adjusted")
    assert len(r) == 2
    assert r.counts() == {"error": 0, "warning": 1, "info": 1}
    assert r.by_code() == {"BOUND_ADJUSTED": 1, "ENUM_DROPPED": 1}
    assert not r.failed() and r.failed(strict=True)
    r.report(Code.MISSING_REQUIRED_FIELD, "", "contractId missing")
    assert r.failed()
    assert r.items[-1].to_json() == {"code": "MISSING_REQUIRED_FIELD", "severity": "error", "pointer": "",
                                     "message": "contractId missing"}


def test_a_message_is_one_line_whatever_the_spec_holds(tmp_path: Path) -> None:
    """A path key with a newline and an escape sequence cannot forge a second diagnostic line."""
    from migrate.conversion.run import convert

    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps({"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
                                "paths": {"/a\nerror   FAKE /x: forged\u001b[31m": 5}}))
    lines = [d.render() for d in convert(spec, "openapi").diagnostics]
    forged = next(line for line in lines if "forged" in line)
    assert "\n" not in forged and "\x1b" not in forged and "/a error   FAKE" in forged and "\\x1b" in forged
