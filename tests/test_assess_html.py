"""assessment.html in a real (headless) browser: the estate totals, a blocked API, filtering and
sorting; a screenshot is kept in test-artifacts/."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from migrate.assess.report import build, write
from migrate.assess.run import assess
from migrate.assess.sources import file_sources
from migrate.core.targets import VENDORS, EmitOptions
from migrate.readers import ReadOptions
from tests.test_batch_report import ARTIFACTS, _browser, parse
from tests.testsupport import FIXTURES, SAMPLES


def assessed(paths: list[Path], out: Path, jobs: int = 1) -> Path:
    found = file_sources(paths, ReadOptions(), out)
    write(build(assess(found.sources, VENDORS, EmitOptions(), jobs), VENDORS, "files", found.skipped_files), out)
    return out / "assessment.html"


def rows(dom: str) -> list[tuple[str, str, str, bool]]:
    """(API, target, effort, hidden) of each row of the APIs x targets table, in page order."""
    found = re.findall(r'<tr class="cell" data-name="([^"]+)" data-target="(\w+)" data-effort="(\w+)"[^>]*?'
                       r'(hidden="")?>', dom)
    return [(name, target, level, bool(hidden)) for name, target, level, hidden in found]


def page_text(dom: str) -> str:
    return " ".join(" ".join(parse(dom).text).split())


def check_page(html: Path, profile: Path, shot_name: str) -> str:
    """The page as the browser built it (its text), after a screenshot kept in test-artifacts/."""
    if not (shutil.which("chromium") or shutil.which("chromium-browser")):
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    dom = _browser(["--dump-dom", html.as_uri()], profile / "a")
    assert dom.returncode == 0, dom.stderr[-2000:]
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / shot_name
    shot.unlink(missing_ok=True)
    taken = _browser([f"--screenshot={shot}", "--window-size=1280,2600", html.as_uri()], profile / "b")
    assert taken.returncode == 0, taken.stderr[-2000:]
    assert shot.stat().st_size > 10_000 and shot.read_bytes()[:4] == b"\x89PNG"
    return dom.stdout


@pytest.fixture(scope="module")
def html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The samples and tests/fixtures/assess (a spec with an invalid path item, an unreadable one)."""
    return assessed([SAMPLES, FIXTURES / "assess"], tmp_path_factory.mktemp("assess") / "out")


def test_assessment_in_headless_chromium(html: Path, tmp_path: Path) -> None:
    dom = check_page(html, tmp_path, "assessment.png")
    text = page_text(dom)
    assert "7 APIs from files assessed for akamai, akana, frends (1 not read" in text
    totals = text.split("Estate totals", 1)[1].split("Effort rating", 1)[0]
    assert re.search(r"akamai 0 trivial 0 low 5 medium 0 high 2 blocked", totals)
    assert re.search(r"frends 0 trivial 5 low 0 medium 0 high 2 blocked", totals)
    assert "rated trivial 0, low 1-5, medium 6-25, high 26+" in text
    shown = rows(dom)
    assert len(shown) == 7 * 3 and not any(hidden for *_, hidden in shown)
    assert ("unreadable", "akana", "blocked", False) in shown
    assert re.search(r"unreadable.yaml:3: invalid YAML", text)
    assert "21 of 21 rows shown" in text


def test_filtering_and_sorting_in_headless_chromium(html: Path, tmp_path: Path) -> None:
    if not (shutil.which("chromium") or shutil.which("chromium-browser")):
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    blocked = _browser(["--dump-dom", html.as_uri() + "#effort=blocked&target=akana"], tmp_path / "p1").stdout
    visible = [(n, t, e) for n, t, e, hidden in rows(blocked) if not hidden]
    assert visible == [("broken", "akana", "blocked"), ("unreadable", "akana", "blocked")]
    assert "2 of 21 rows shown" in page_text(blocked)
    searched = _browser(["--dump-dom", html.as_uri() + "#q=--akana-endpoint"], tmp_path / "p2").stdout
    targets = [t for _, t, _, hidden in rows(searched) if not hidden]
    assert targets and set(targets) == {"akana"}
    ordered = _browser(["--dump-dom", html.as_uri() + "#sort=rank&order=desc"], tmp_path / "p3").stdout
    levels = [e for _, _, e, _ in rows(ordered)]
    assert levels[:6] == ["blocked"] * 6  # sorted by effort, the worst first
    assert levels[-5:] == ["low"] * 5
