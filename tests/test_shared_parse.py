"""The batch worker parses a spec once: the source's validity check parses it, the reader takes
the same data (``source.load.shared_parse``). That is only right while validation changes nothing
in the data it is given: checked here on the samples and (corpus run) on the corpus."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from migrate.readers import ReadOptions
from migrate.source import load
from migrate.validation.run import validate_source
from tests.testsupport import CORPUS, SAMPLES

SPECS = sorted(p for p in SAMPLES.glob("*.yaml"))


def _validate_leaves_the_data_alone(path: Path) -> bool:
    try:
        text = load.read_text(path)
        fresh = load.parse_text(text, str(path))
    except Exception:
        return True  # not parseable: nothing is shared
    before = copy.deepcopy(fresh)
    with load.shared_parse():
        try:
            validate_source(path, ReadOptions())
        except Exception:
            return True  # refused (a reference outside the folder...): the read fails alike
        shared = load.parse_text(text, str(path))
    return shared == before


def test_within_the_block_the_same_text_parses_once() -> None:
    text = (SAMPLES / "orders-openapi30.yaml").read_text(encoding="utf-8")
    with load.shared_parse():
        first = load.parse_text(text, "orders.yaml")
        assert load.parse_text(text, "orders.yaml") is first
        assert load.parse_text(text, "other.yaml") is not first  # another file
        assert load.parse_text(text + "\n# changed\n", "orders.yaml") is not first
    assert load.parse_text(text, "orders.yaml") is not load.parse_text(text, "orders.yaml")  # outside: never


@pytest.mark.parametrize("path", SPECS, ids=lambda p: p.name)
def test_validation_changes_nothing_in_the_shared_data(path: Path) -> None:
    assert _validate_leaves_the_data_alone(path)


@pytest.mark.corpus
@pytest.mark.slow
def test_validation_changes_nothing_in_the_shared_data_of_the_corpus() -> None:
    if not CORPUS.is_dir():
        pytest.skip("needs ../shared/corpus (reference material beside the project; absent here)")
    files = sorted(p for kind in ("swagger20", "openapi3", "large", "invalid") for p in (CORPUS / kind).rglob("*")
                   if p.suffix in (".json", ".yaml", ".yml") and p.is_file())
    assert len(files) > 300
    changed = [str(p) for p in files if not _validate_leaves_the_data_alone(p)]
    assert changed == []
