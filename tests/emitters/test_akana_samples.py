"""Akana emitter on the samples (golden files), in import mode, and on the corpus.

Golden files are regenerated only with UPDATE_GOLDEN=1; a missing golden file fails the test.
"""

from __future__ import annotations

import json
import os
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from migrate.core.diagnostics import Code
from migrate.core.errors import ReadError
from migrate.core.model import Api, Resource, Server
from migrate.emitters.akana.emit import DROPBOX_PLACEHOLDER, import_payload
from migrate.emitters.base import EmitOptions, Payload, PayloadFile, emit
from migrate.readers import read_spec
from tests.testsupport import ROOT, SAMPLES, need_shared

GOLDEN = ROOT / "tests" / "golden" / "akana"
SAMPLE_FILES = ["petstore-swagger2.yaml", "orders-openapi30.yaml", "events-openapi31.yaml",
                "library-raml08/api.raml"]
MODES = {
    "": EmitOptions(),
    "xml-": EmitOptions(akana_format="xml"),
    "import-": EmitOptions(akana_mode="import"),
}


def _stem(sample: str) -> str:
    return Path(sample).parent.name if sample.endswith("api.raml") else Path(sample).stem


def _golden_texts(payload: Payload, stem: str, prefix: str) -> dict[str, str]:
    """Akana's own files and the legacy report. In import mode openapi.json and the report are
    the OpenAPI emitter's (which has its own golden files), so only the descriptor is compared."""
    texts = {f"{stem}.{f.name}": f.text for f in payload.files if f.name != "openapi.json"}
    if prefix != "import-":
        texts[f"{stem}.{prefix}report.txt"] = "".join(d.render() + "\n" for d in payload.report)
    return texts


def _compare(texts: dict[str, str]) -> None:
    for name, text in texts.items():
        path = GOLDEN / name
        if os.environ.get("UPDATE_GOLDEN") == "1":
            GOLDEN.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        assert path.exists(), f"golden file {path} is missing (run with UPDATE_GOLDEN=1 and review it)"
        assert path.read_text(encoding="utf-8") == text, f"{path} differs from the emitted file"


@pytest.mark.parametrize("prefix", list(MODES))
@pytest.mark.parametrize("sample", SAMPLE_FILES)
def test_sample_golden(sample: str, prefix: str) -> None:
    api = read_spec(SAMPLES / sample)
    payload = emit(api, "akana", MODES[prefix])
    _compare(_golden_texts(payload, _stem(sample), prefix))
    assert payload.files[-1].document is not None


@pytest.mark.parametrize("sample", SAMPLE_FILES)
def test_sample_every_operation_is_carried_or_reported(sample: str) -> None:
    api = read_spec(SAMPLES / sample)
    payload = emit(api, "akana")
    ops = payload.main().document["APIVersion"]["Operations"]["Operation"]
    left_out = payload.report.by_code().get(Code.METHOD_UNSUPPORTED.name, 0)
    assert len(ops) + left_out == sum(1 for _ in api.operations())
    assert len({op["Name"] for op in ops}) == len(ops)


def _api() -> Api:
    return Api(title='Pets "v2"', version="2", servers=[Server(url="https://api.example.com")],
               resources=[Resource("/pets")])


def test_import_mode_files_and_descriptor() -> None:
    payload = emit(_api(), "akana", EmitOptions(akana_mode="import"))
    assert [f.name for f in payload.files] == ["openapi.json", "akana-descriptor.json"]
    assert payload.main().document["info"]["title"] == 'Pets "v2"'
    descriptor = payload.files[1].document
    assert descriptor == {"DLDescriptor": {"ServiceDescriptorReference": {
        "ServiceName": 'Pets "v2"', "FileName": "openapi.json", "DropboxFileId": "${DropboxFileId}"}}}
    assert payload.files[1].text.endswith("}\n")


def test_import_payload_carries_the_openapi_report_and_file_name() -> None:
    openapi = emit(_api(), "openapi")
    openapi.files[0] = PayloadFile("spec.json", "{}\n", document={})
    openapi.report.report(Code.EXTENSION_DROPPED, "/x-a", "lost")
    payload = import_payload(_api(), openapi, EmitOptions(akana_mode="import"))
    assert payload.files[1].document["DLDescriptor"]["ServiceDescriptorReference"]["FileName"] == "spec.json"
    assert [(d.code, d.pointer) for d in payload.report][-1] == (Code.EXTENSION_DROPPED, "/x-a")
    assert DROPBOX_PLACEHOLDER == "${DropboxFileId}"


def test_user_descriptor_template_overrides_builtin(tmp_path: Path) -> None:
    (tmp_path / "akana").mkdir()
    (tmp_path / "akana" / "descriptor.json.j2").write_text(
        '{"DLDescriptor": {"ServiceDescriptorReference": {"ServiceName": {{ service_name | tojson }}, '
        '"FileName": {{ file_name | tojson }}, "DropboxFileId": {{ dropbox_file_id | tojson }}, '
        '"Extra": 1}}}\n')
    payload = emit(_api(), "akana", EmitOptions(akana_mode="import", templates_dir=tmp_path))
    assert payload.files[1].document["DLDescriptor"]["ServiceDescriptorReference"]["Extra"] == 1


def _corpus_selection() -> list[Path]:
    corpus = need_shared("corpus")
    swagger = sorted((corpus / "swagger20").rglob("*.*"))
    picked = [p for p in swagger if p.suffix in (".json", ".yaml", ".yml")][::10]
    picked += sorted(p for p in (corpus / "openapi3").rglob("*.*") if p.suffix in (".json", ".yaml", ".yml"))
    picked += sorted((corpus / "raml08" / "raml-apis").rglob("*.raml"))
    return picked


def _check_legacy(doc: dict[str, object], root: ET.Element) -> None:
    """The seed-003 shape: every operation has Name/Method/Path/Input/content types, names unique."""
    version = doc["APIVersion"]
    assert isinstance(version, dict)
    ops = version["Operations"]["Operation"]
    assert version["TargetAPI"]["Operations"]["Operation"] == ops
    for op in ops:
        assert set(op) == {"Name", "Method", "Path", "Input", "InputContentType", "OutputContentType",
                           "FaultContentType"}
        assert all(i["Type"] in ("path", "query", "header") for i in op["Input"])
    assert len({op["Name"] for op in ops}) == len(ops)
    assert root.tag == "API" and len(root.findall("./APIVersion/Operations/Operation")) == len(ops)


@pytest.mark.corpus
def test_corpus_converts_to_valid_akana_bodies() -> None:
    converted, started = 0, time.monotonic()
    for path in _corpus_selection():
        try:
            api = read_spec(path)
        except ReadError:
            continue
        doc = emit(api, "akana").main().document
        root = emit(api, "akana", EmitOptions(akana_format="xml")).main().document
        _check_legacy(doc, root)
        json.dumps(doc)
        converted += 1
    assert converted > 0
    assert time.monotonic() - started < 120
