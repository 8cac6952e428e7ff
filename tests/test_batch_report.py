"""The HTML batch report: escaping, content, and how it looks in a real (headless) browser."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from migrate.batch.run import run_batch
from migrate.emitters.base import EmitOptions
from migrate.readers import ReadOptions
from tests.testsupport import FIXTURES, ROOT

sys.path.insert(0, str(FIXTURES / "batch"))
from fakes import FAKE

ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def spec(folder: Path, rel: str, title: str, *flags: str) -> None:
    path = folder / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"openapi: 3.0.0\ntitle: {title}\n# {' '.join(flags)}\n", encoding="utf-8")


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("report")
    src = root / "specs"
    spec(src, "petstore.yaml", "Petstore")
    spec(src, "lossy.yaml", "Lossy", "LOSSY")
    spec(src, "broken.yaml", "Broken", "BAD")
    spec(src, "rejected.yaml", "Rejected", "REJECT", "LOSSY")
    spec(src, "evil.yaml", "<script>alert(1)</script>")
    spec(src, "again/petstore.yaml", "Petstore")
    run_batch([src], ["akamai", "akana", "frends"], root / "out", EmitOptions(), ReadOptions(), jobs=1,
              resume=False, fmt="text", progress=False, pipeline=FAKE, out=io.StringIO())
    return root / "out"


class _Text(HTMLParser):
    """Collects the text, element ids and hrefs of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(str(values["id"]))
        if values.get("href"):
            self.hrefs.append(str(values["href"]))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> _Text:
    page = _Text()
    page.feed(html)
    return page


def test_html_escapes_spec_content(report_dir: Path) -> None:
    html = (report_dir / "report.html").read_text()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert parse(html).tags.count("script") == 1  # the report's own filter script, nothing from a spec
    assert html.count("<script>") == 1 and "alert" not in html.split("<script>")[1]


def test_every_matrix_link_leads_to_an_anchor_and_the_page_is_self_contained(report_dir: Path) -> None:
    page = parse((report_dir / "report.html").read_text())
    anchors = [h[1:] for h in page.hrefs if h.startswith("#")]
    assert anchors and set(anchors) <= page.ids
    assert {"spec-lossy", "spec-lossy-akamai", "spec-specs-petstore", "spec-again-petstore"} <= page.ids
    external = [h for h in page.hrefs if not h.startswith("#") and not h.startswith("file:")]
    assert external and all((report_dir / h).is_file() for h in external)
    sources = [h for h in page.hrefs if h.startswith("file:")]  # each spec links to its source
    assert sources and all(Path(unquote(urlsplit(h).path)).is_file() for h in sources)
    assert not {"link", "img", "iframe"} & set(page.tags)  # one offline file: nothing loaded from elsewhere


def test_losses_table_lists_codes_with_counts_and_examples(report_dir: Path) -> None:
    text = " ".join(" ".join(parse((report_dir / "report.html").read_text()).text).split())
    losses = text.split("Most frequent losses", 1)[1].split("Diagnostics per spec", 1)[0]
    assert re.search(r"PATTERN_DROPPED warning the target cannot express a pattern restriction 6 2 lossy ?, rejected",
                     losses)
    assert "MISSING_REQUIRED_FIELD error" in losses


def _chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    return path


def _browser(args: list[str], profile: Path) -> subprocess.CompletedProcess[str]:
    cmd = [_chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=90, check=False)


def test_report_in_headless_chromium_shows_the_matrix(report_dir: Path, tmp_path: Path) -> None:
    url = (report_dir / "report.html").as_uri()
    dom = _browser(["--dump-dom", url], tmp_path / "profile")
    assert dom.returncode == 0, dom.stderr[-2000:]
    text = " ".join(" ".join(parse(dom.stdout).text).split()).replace("\N{EN DASH}", "-")
    matrix = text.split("Specs \N{MULTIPLICATION SIGN} targets", 1)[1].split("Most frequent losses", 1)[0]
    assert "spec source akamai akana frends" in matrix  # the fake pipeline checks no source: "-"
    assert re.search(r"broken - failed failed failed", matrix)
    assert re.search(r"lossy - warnings 0 E 1 W 0 I warnings 0 E 1 W 0 I warnings", matrix)
    assert re.search(r"rejected - errors 1 E 1 W 0 I warnings", matrix)
    assert "again-petstore - duplicate of specs-petstore" in matrix.replace("specs-petstore ok", "")
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "batch-report.png"
    shot.unlink(missing_ok=True)
    taken = _browser([f"--screenshot={shot}", "--window-size=1280,900", url], tmp_path / "profile2")
    assert taken.returncode == 0, taken.stderr[-2000:]
    assert shot.stat().st_size > 10_000 and shot.read_bytes()[:4] == b"\x89PNG"


def _buried_error_spec(folder: Path, warnings: int = 9_999) -> Path:
    """An OpenAPI 3 spec whose diagnostics are ``warnings`` warnings (path items with a key the
    model does not read) and then, 10,000th in source order, one error (a broken path item)."""
    import json

    paths: dict[str, object] = {f"/p{i:05d}": {"unread": 1} for i in range(warnings)}
    paths["/zz-broken"] = 5
    doc = {"openapi": "3.0.3", "info": {"title": "Buried", "version": "1"},
           "servers": [{"url": "https://api.example.com/b"}], "paths": paths}
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "buried.json"
    path.write_text(json.dumps(doc))
    return path


def test_an_error_after_ten_thousand_warnings_is_at_the_top_and_the_filter_works(tmp_path: Path) -> None:
    """Issue 11: the one error that blocks a spec must be on top of report.html, and the severity
    filter (preset from the address, as a shared link would) must hide the rest, in a real browser."""
    from migrate.conversion.run import convert

    src = tmp_path / "src"
    spec = _buried_error_spec(src)
    found = convert(spec, "akamai", EmitOptions(host="api.example.com", contract_id="C-1", group_id="1")).diagnostics
    errors = [i for i, d in enumerate(found) if d.severity.value == "error"]
    assert errors == [9_999]  # the only error is the 10,000th diagnostic
    out = tmp_path / "out"
    run_batch([src], ["akamai"], out, EmitOptions(host="api.example.com", contract_id="C-1", group_id="1"),
              ReadOptions(), jobs=1, resume=False, fmt="text", progress=False, out=io.StringIO())
    html = (out / "report.html").read_text()
    top = html.split('id="matrix"', 1)[0]
    assert 'id="attention"' in top and "SPEC_INVALID" in top and "/paths/~1zz-broken" in top
    assert "fix the spec at this place" in top
    url = (out / "report.html").as_uri() + "#severity=error"
    dom = _browser(["--dump-dom", url], tmp_path / "profile")
    assert dom.returncode == 0, dom.stderr[-2000:]
    page = dom.stdout
    rows = re.findall(r'<tr class="diag"[^>]*data-severity="(\w+)"[^>]*?(hidden="")?>', page)
    assert rows and all(bool(hidden) == (severity != "error") for severity, hidden in rows)
    assert re.search(r'id="shown">\d+ of \d+ diagnostics shown<', page)
    by_code = _browser(["--dump-dom", (out / "report.html").as_uri() + "#code=RESOURCE_DROPPED&q=buried"],
                       tmp_path / "profile3").stdout  # a code and a search for the spec's name
    coded = re.findall(r'<tr class="diag"[^>]*data-code="(\w+)"[^>]*?(hidden="")?>', by_code)
    assert any(not hidden for _, hidden in coded)
    assert all(bool(hidden) == (code != "RESOURCE_DROPPED") for code, hidden in coded)
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "batch-report-buried-error.png"
    shot.unlink(missing_ok=True)
    taken = _browser([f"--screenshot={shot}", "--window-size=1280,900", (out / "report.html").as_uri()],
                     tmp_path / "profile2")
    assert taken.returncode == 0 and shot.read_bytes()[:4] == b"\x89PNG"
