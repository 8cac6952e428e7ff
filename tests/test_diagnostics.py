from __future__ import annotations

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
