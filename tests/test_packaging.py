"""pyproject.toml lists the packages explicitly (templates/ ships as migrate.templates through
package-dir): every package folder under migrate/ and templates/ must be listed, or a wheel
install would miss it."""

from __future__ import annotations

import tomllib

from tests.testsupport import ROOT


def test_every_package_folder_is_listed_in_pyproject() -> None:
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    folders = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "migrate").rglob("__init__.py")}
    templates = {"migrate.templates"} | {f"migrate.templates.{d.name}" for d in (ROOT / "templates").iterdir()
                                         if d.is_dir()}
    assert listed == folders | templates
