"""The public Python API (``migrate.read``/``convert``/``validate``): the examples in the package
docstring and in the README's "Python API" section run as doctests, from the repo root."""

from __future__ import annotations

import doctest
import os
import re
from collections.abc import Iterator

import pytest

import migrate
from tests.testsupport import ROOT


@pytest.fixture(autouse=True)
def at_root() -> Iterator[None]:
    before = os.getcwd()
    os.chdir(ROOT)
    try:
        yield
    finally:
        os.chdir(before)


def run_examples(text: str, name: str) -> doctest.TestResults:
    parser = doctest.DocTestParser()
    test = parser.get_doctest(text, {"migrate": migrate}, name, None, 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    return runner.summarize(verbose=False)


def test_package_docstring_examples_run() -> None:
    results = run_examples(migrate.__doc__ or "", "migrate")
    assert results.attempted >= 6 and results.failed == 0


def test_readme_python_api_examples_run() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = re.search(r"^## Python API\n(.*?)(?=^## )", readme, re.S | re.M)
    assert section, "the README has a Python API section"
    results = run_examples(section.group(1), "README.md")
    assert results.attempted >= 4 and results.failed == 0


def test_the_public_names_are_exported() -> None:
    assert {"read", "convert", "validate", "Api", "EmitOptions", "Diagnostic"} <= set(migrate.__all__)
    assert all(hasattr(migrate, name) for name in migrate.__all__)
    assert (ROOT / "migrate" / "py.typed").is_file()
