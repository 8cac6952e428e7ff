"""Issue 12 (batch speed): the shortcuts taken for speed give what the long way gives."""

from __future__ import annotations

import gc
import io
from pathlib import Path

import pytest

from migrate.core.errors import ReadError
from migrate.readers import ReadOptions
from migrate.source.load import parse_text, read_text
from migrate.source.references import _ref_files, only_local_refs, referenced_files
from migrate.source.refpolicy import RefRefused
from tests.testsupport import SAMPLES, need_shared


@pytest.mark.parametrize(("text", "local"), [
    ('{"$ref": "#/definitions/A"}', True),
    ("schema:\n  $ref: '#/definitions/A'\n", True),
    ('schema: {"$ref" :  "#/a", $ref: "#/b"}\n', True),
    ("schema:\n  $ref: ./other.yaml#/A\n", False),
    ('{"$ref": "other.json"}', False),
    ("a: &x ./other.yaml\nb:\n  $ref: *x\n", False),  # an alias: only parsing says where it goes
    ("b:\n  $ref: !!str ./other.yaml\n", False),
    ("$refs: '#/a'\n", False),
    ("description: write $ref to refer\n$ref: '#/a'\n", False),
])
def test_only_local_refs(text: str, local: bool) -> None:
    assert only_local_refs(text) is local


def test_a_spec_with_only_local_refs_is_its_own_file(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text("swagger: '2.0'\npaths: {}\ndefinitions:\n  A: {$ref: '#/definitions/B'}\n  B: {}\n")
    assert referenced_files(spec, ReadOptions().policy(spec)) == [spec.resolve()]


def test_a_spec_reaching_a_file_still_lists_it(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    (tmp_path / "a.yaml").write_text("type: string\n")
    spec.write_text("swagger: '2.0'\npaths: {}\ndefinitions:\n  A: {$ref: './a.yaml'}\n  B: {$ref: '#/x'}\n")
    assert referenced_files(spec, ReadOptions().policy(spec)) == [spec.resolve(), (tmp_path / "a.yaml").resolve()]


def _parsed_files(spec: Path) -> list[Path] | None:
    """The long way: parse the document and follow its references."""
    spec = spec.resolve()
    try:
        return _ref_files(spec, parse_text(read_text(spec), str(spec)), ReadOptions().policy(spec))
    except (ReadError, RefRefused):
        return None


@pytest.mark.corpus
@pytest.mark.slow
def test_the_shortcut_agrees_with_parsing_on_the_corpus() -> None:
    corpus = need_shared("corpus")
    checked = 0
    for spec in sorted(corpus.rglob("*")):
        if spec.suffix not in (".yaml", ".yml", ".json") or not spec.is_file() or "raml08" in spec.parts:
            continue
        try:
            text = read_text(spec)
        except ReadError:
            continue
        if "$ref" not in text or "!include" in text or not only_local_refs(text):
            continue
        checked += 1
        assert _parsed_files(spec) in ([spec.resolve()], None), spec
    assert checked > 500


def test_a_worker_pauses_the_collector_per_spec_and_restores_it(tmp_path: Path) -> None:
    from migrate.batch.jobs import Job
    from migrate.batch.worker import convert_one
    from migrate.emitters.base import EmitOptions
    from tests.testsupport import SAMPLES

    seen: list[bool] = []

    def read(path: Path, options: ReadOptions) -> object:
        seen.append(gc.isenabled())
        raise ReadError(str(path), "stop here")

    from migrate.batch.worker import Pipeline

    job = Job(SAMPLES / "petstore-swagger2.yaml", ("openapi",), EmitOptions(), ReadOptions(), tmp_path, "p", "k")
    assert gc.isenabled()
    result = convert_one(job, Pipeline(read=read))  # type: ignore[arg-type]
    assert seen == [False] and gc.isenabled() and result.status == "failed"


@pytest.mark.corpus
@pytest.mark.slow
def test_validating_in_parallel_gives_each_file_its_own_result() -> None:
    from migrate.validation.run import validate_file, validate_files

    corpus = need_shared("corpus")
    files = [str(p) for p in sorted((corpus / "invalid" / "openapi-spec-validator").rglob("*.yaml"))[:6]]
    files += [str(p) for p in sorted((corpus / "swagger20").rglob("swagger.yaml"))[:6]]
    files.append(str(corpus / "no-such-file.yaml"))
    parallel = validate_files(files, ReadOptions(), jobs=2)
    alone = [validate_file(f, ReadOptions()) for f in files]
    assert [r.path for r in parallel] == files
    assert parallel == alone
    assert any(r.diagnostics for r in alone) and any(r.error for r in alone)


def test_the_endpoint_in_hand_is_what_the_written_file_says(tmp_path: Path) -> None:
    import json

    from migrate.batch.jobs import Job
    from migrate.batch.worker import ENDPOINT_KEYS, convert_one
    from migrate.emitters.base import EmitOptions
    from tests.testsupport import SAMPLES

    job = Job(SAMPLES / "petstore-swagger2.yaml", ("akamai",), EmitOptions(), ReadOptions(), tmp_path, "p", "k")
    target = convert_one(job).targets[0]
    written = json.loads((tmp_path / "p" / "akamai" / "akamai.json").read_text(encoding="utf-8"))
    assert target.endpoint is not None and target.endpoint["apiResources"]
    assert {k: v for k, v in target.endpoint.items() if k != "apiResources"} == \
        {k: written[k] for k in ENDPOINT_KEYS if k in written and k != "apiResources"}
    assert [r["resourcePath"] for r in target.endpoint["apiResources"]] == \
        [r["resourcePath"] for r in written["apiResources"]]
    assert "endpoint" not in target.to_json()  # never journaled


def _composed_position(path: str, tokens: list[str]) -> tuple[int, int | None] | None:
    """The long way of ``core.pointers.position_of``: compose the file as YAML and walk it."""
    from migrate.core.pointers import _child, _compose

    root = _compose(path)
    if root is None:
        return None
    node, mark = root, root.start_mark
    for token in tokens:
        found = _child(node, token)
        if found is None:
            break
        node, mark = found
    return mark.line + 1, (mark.column + 1 if root.start_mark.line == root.end_mark.line else None)


def _pointers(path: str, limit: int = 4000) -> list[list[str]]:
    """Token lists of the file's elements (breadth first, up to ``limit``), and a missing one under each
    container."""
    import yaml

    from migrate.core.pointers import _compose

    root = _compose(path)
    out: list[list[str]] = [[]]
    todo: list[tuple[yaml.Node, list[str]]] = [(root, [])] if root is not None else []
    while todo and len(out) < limit:
        node, tokens = todo.pop(0)
        out.append([*tokens, "no-such-member"])
        if isinstance(node, yaml.MappingNode):
            children = [(str(k.value), v) for k, v in node.value if isinstance(k, yaml.ScalarNode)]
        elif isinstance(node, yaml.SequenceNode):
            children = [(str(i), v) for i, v in enumerate(node.value)]
        else:
            continue
        for token, child in children:
            out.append([*tokens, token])
            todo.append((child, [*tokens, token]))
    return out


@pytest.mark.parametrize("text", [
    '{"a": {"b": [1, {"c": 2}]}, "a": 3}',
    '{\n  "a": {\n    "b": [\n      1,\n      {"c": 2}\n    ]\n  },\r\n  "d": "x\\/y"\n}\n',
    '[{"x": 1}, [], {}]',
    # the letters \\uD800 after an escaped backslash (a pattern's character range), no surrogate
    '{\n  "p": "[\\\\uD800-\\\\uDBFF]",\n  "q": {\n    "r": "\\\\\\\\uDC00"\n  }\n}',
    '{\n  "a": 1,\n  "b": [\n    2\n  ]\n}',  # no line break at the end
])
def test_json_positions_equal_the_composed_ones(tmp_path: Path, text: str) -> None:
    from migrate.core.jsonpos import JsonIndex

    path = tmp_path / "doc.json"
    path.write_bytes(text.encode())
    index = JsonIndex.build(text)
    known = JsonIndex.build(text, parsed=True)  # the loader read it as JSON: not decoded again
    assert index is not None and known is not None
    for tokens in _pointers(str(path)):
        assert index.position(tokens) == known.position(tokens) == _composed_position(str(path), tokens), tokens


def test_the_loaders_json_text_is_indexed_without_reading_the_file_again(tmp_path: Path) -> None:
    from migrate.core.pointers import forget_positions, position_of
    from migrate.source.load import load_data

    path = tmp_path / "doc.json"
    path.write_bytes(b'{\r\n  "a": {\r\n    "b": [1, 2]\r\n  }\r\n}\r\n')
    forget_positions()
    load_data(path)
    path.write_bytes(b'{"moved": 1}')  # the loader's text is the one its diagnostics speak of
    assert position_of(str(path), "/a/b/1") == (3, None)
    forget_positions()
    assert position_of(str(path), "/a/b/1") == (1, 1)  # read again: the file as it is now (its root)


@pytest.mark.parametrize("text", [
    '{"a": "\\ud83d\\ude00"}',  # the YAML scanner refuses escaped surrogates
    '{"a": "\\\\\\ud83d\\ude00"}',  # the same after an escaped backslash
    '{"' + "k" * 600 + '": 1, "a": 1}',  # a key too long for a YAML simple key (on the way to "a")
    '{"a"\n: 1}',
    '\t{"a": 1}',
    '{"a": 1} {"b": 2}',
    '{"a": 1]',
    '{"a": [1}}',
    '{"a": 1,}',
    '{"a": "\x85"}',
    "{a: 1}",
])
def test_json_the_yaml_loader_reads_otherwise_is_left_to_it(text: str) -> None:
    from migrate.core.jsonpos import JsonIndex

    index = JsonIndex.build(text)
    assert index is None or index.position(["a"]) is None


def test_the_quick_check_of_characters_yaml_reads_otherwise_equals_the_pattern() -> None:
    """``_unlike_yaml`` answers as ``_NOT_LIKE_YAML.search`` does, on random text full of the
    characters on either side of each of the pattern's ranges (and lone surrogates)."""
    import random

    from migrate.core.jsonpos import _NOT_LIKE_YAML, _unlike_yaml

    edges = [chr(c) for c in [*range(0x00, 0x22), *range(0x7C, 0xA2)]] + [
        "\u2027", "\u2028", "\u2029", "\u202a", "\ufffd", "\ufffe", "\uffff", "\ud7ff", "\ud800", "\udbff",
        "\udc00", "\udfff", "\ue000", "\u00e9", "\u2019", "\U0001f600", "\U0010ffff"]
    rng = random.Random(12)
    texts = ["", "{}", "\n", "\r\n", "\t"]
    # short texts dense in those characters (searched by the pattern itself), and longer texts
    # with a few of them (mostly ASCII: the bytes left after the allowed ASCII ones are deleted)
    for count, length, share in ((20_000, 10, 0.4), (5_000, 300, 0.01)):
        texts += ["".join(rng.choice(edges) if rng.random() < share else chr(rng.randint(0x20, 0x7E))
                          for _ in range(rng.randint(1, length))) for _ in range(count)]
    for text in texts:
        assert _unlike_yaml(text) == (_NOT_LIKE_YAML.search(text) is not None), repr(text)


def test_members_before_a_long_key_are_found_without_reading_it(tmp_path: Path) -> None:
    """A container is read only as far as the member looked up: one written before a key too long
    for the index is found (where YAML finds it), the long key's own member is left to YAML."""
    from migrate.core.jsonpos import JsonIndex

    long = "k" * 600
    text = '{\n "a": 1,\n "' + long + '": {"b": 2}\n}\n'
    path = tmp_path / "doc.json"
    path.write_text(text)
    index = JsonIndex.build(text)
    assert index is not None
    assert index.position(["a"]) == _composed_position(str(path), ["a"]) == (2, None)
    assert index.position([long, "b"]) is None


def test_a_member_nested_too_deep_to_skip_leaves_the_position_to_yaml() -> None:
    """Review finding: a lookup past a member nested deeper than the C scanner may go from where
    the lookup runs raised RecursionError (the spec was called unusable); the index now says it
    does not know, and the caller composes the file as before."""
    from migrate.core.jsonpos import JsonIndex

    depth = 100_000
    index = JsonIndex.build('{"deep": ' + "[" * depth + "]" * depth + ', "a": 1}', parsed=True)
    assert index is not None
    assert index.position(["a"]) is None
    assert index.position([]) == (1, 1)


def test_a_root_that_reads_otherwise_as_yaml_still_has_its_own_place() -> None:
    """Review finding: a root key too long for a YAML simple key made the whole index unknown;
    the root's own place (line 1) is known as before, and what lies inside it is left to YAML."""
    from migrate.core.jsonpos import JsonIndex

    index = JsonIndex.build('{"' + "k" * 1100 + '": 1,\n "a": 2}')
    assert index is not None
    assert index.position([]) == (1, None)
    assert index.position(["a"]) is None


@pytest.mark.corpus
@pytest.mark.slow
def test_json_positions_equal_the_composed_ones_on_the_corpus() -> None:
    from migrate.core.jsonpos import JsonIndex
    from migrate.core.pointers import forget_positions

    corpus = need_shared("corpus")
    indexed = 0
    for path in sorted(corpus.rglob("*.json")):
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue
        index = JsonIndex.build(text)
        if index is None:
            continue
        indexed += 1
        for tokens in _pointers(str(path)):
            assert index.position(tokens) == _composed_position(str(path), tokens), (path, tokens)
        forget_positions()
    assert indexed > 100


def _verdicts_agree(body: object) -> list[str]:
    """Where jsonschema-rs and OAS30Validator (the reference) judge ``body`` or one of its child
    parameters differently, for the body and for each member set to null, 1.5, "x", True, [] or {}."""
    import copy

    from migrate.emitters.akamai import schema

    endpoint, parameter = schema._validators()
    compiled = schema._compiled()
    differ: list[str] = []

    def check(validator: object, instance: object, where: str) -> None:
        reference = next(iter(validator.iter_errors(instance)), None) is None  # type: ignore[attr-defined]
        if compiled[id(validator)].is_valid(instance) != reference:
            differ.append(f"{where}: reference {'valid' if reference else 'invalid'}")

    variants = [("", body)]
    if isinstance(body, dict):
        for key in body:
            value: object
            for value in (None, 1.5, "x", True, [], {}, 3):
                changed = copy.copy(body)
                changed[key] = value
                variants.append((f"/{key}={value!r}", changed))
    for where, variant in variants:
        check(endpoint, variant, where or "/")
    for where, child in schema._child_parameters(body)[:40]:
        check(parameter, child, where)
        if isinstance(child, dict):
            for key in child:
                for value in (None, 1.5, "x", True, [], {}):
                    check(parameter, {**child, key: value}, f"{where}/{key}={value!r}")
            missing = {k: v for k, v in child.items() if k != "apiParameterName"}
            check(parameter, missing, f"{where} without apiParameterName")
    return differ


@pytest.mark.corpus
@pytest.mark.slow
def test_compiled_akamai_check_gives_the_reference_verdicts_on_the_corpus() -> None:
    from migrate.emitters.base import EmitOptions, emit
    from migrate.readers import read_spec
    from tests.testsupport import SAMPLES

    corpus = need_shared("corpus")
    specs = sorted((corpus / "swagger20").rglob("swagger.yaml"))[::12]
    specs += sorted(p for p in (corpus / "openapi3" / "oai-openapi-specification").rglob("*.yaml")
                    if "v3.0" in p.as_posix())[:20]
    specs += sorted(SAMPLES.glob("*.yaml"))
    checked = 0
    for spec in specs:
        try:
            payload = emit(read_spec(spec), "akamai", EmitOptions(contract_id="ctr_1", group_id="1"))
        except Exception:  # a spec we cannot read or emit has no body to check
            continue
        body = next(f.document for f in payload.files if f.name == "akamai.json")
        assert _verdicts_agree(body) == [], spec
        checked += 1
    assert checked > 40


def test_positions_reuse_the_tree_the_loader_composed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import yaml

    from migrate.core.pointers import forget_positions, position_of
    from migrate.source.load import load_data

    spec = tmp_path / "spec.yaml"
    spec.write_text("swagger: '2.0'\npaths:\n  /a:\n    get:\n      responses: {'200': {description: ok}}\n")
    forget_positions()
    expected = position_of(str(spec), "/paths/~1a/get/responses/200")
    forget_positions()
    load_data(spec)
    monkeypatch.setattr(yaml, "compose", lambda *a, **k: pytest.fail("composed again"))
    assert position_of(str(spec), "/paths/~1a/get/responses/200") == expected == (5, None)
    forget_positions()


def test_a_changed_file_or_merge_keys_are_composed_again(tmp_path: Path) -> None:
    from migrate.core.pointers import _COMPOSED, forget_positions, position_of
    from migrate.source.load import load_data

    spec = tmp_path / "spec.yaml"
    spec.write_text("base: &b {x: 1}\nuse:\n  <<: *b\n  y: 2\n")
    forget_positions()
    load_data(spec)
    assert not _COMPOSED  # constructing merge keys rewrites the nodes
    spec.write_text("a: 1\nb: 2\n")
    load_data(spec)
    spec.write_text("b: 2\na: 1\n")
    assert position_of(str(spec), "/a") == (2, None)
    forget_positions()


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_a_file_rewritten_within_one_process_gets_its_new_lines(tmp_path: Path, suffix: str) -> None:
    """The position memo and the file's index live until ``forget_positions``; a spec read again
    with other text (a long-lived caller, a migration that writes a spec and converts it again)
    drops them, so its diagnostics carry the new lines, not the old."""
    from migrate.core.pointers import forget_positions, position_of
    from migrate.source.load import load_data

    spec = tmp_path / f"spec{suffix}"
    forget_positions()
    before, after = (('{\n"a": 1,\n"b": 2\n}\n', '{\n"b": 2,\n\n\n"a": 1\n}\n') if suffix == ".json"
                     else ("x: 0\na: 1\nb: 2\n", "b: 2\nx: 0\n\na: 1\n"))  # the JSON index, the YAML tree
    spec.write_text(before)
    load_data(spec)
    assert position_of(str(spec), "/b") == (3, None)
    spec.write_text(after)
    load_data(spec)
    new_b, new_a = ((2, None), (5, None)) if suffix == ".json" else ((1, None), (4, None))
    assert position_of(str(spec), "/b") == new_b
    assert position_of(str(spec), "/a") == new_a
    load_data(spec)  # the same text again keeps what is known
    assert position_of(str(spec), "/a") == new_a
    forget_positions()


# -- forked workers (issue 12, fourth round): they start with what the parent imported


def test_workers_are_forked_only_on_linux_from_a_single_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys
    import threading

    from migrate.core.workers import start_method

    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    assert start_method() == "fork"
    monkeypatch.setattr(threading, "active_count", lambda: 2)  # a lock another thread holds would stay held
    assert start_method() == "spawn"
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    monkeypatch.setattr(sys, "platform", "darwin")
    assert start_method() == "spawn"


def test_the_progress_bar_starts_no_thread() -> None:
    """tqdm starts a monitor thread with its first bar; on a terminal the batch would then never
    fork its workers (``start_method`` wants a single thread)."""
    import io
    import threading

    from migrate.batch.run import Progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    before = threading.active_count()
    bar = Progress(3, True, stream=Terminal())
    try:
        assert bar.bar is not None and threading.active_count() == before
    finally:
        bar.close()


def test_a_worker_ends_on_sigterm_and_ignores_ctrl_c() -> None:
    """A forked worker inherits the parent's SIGTERM handler (KeyboardInterrupt) and collector state:
    the initializer puts the default handler back, so terminating the pool ends its workers at once,
    and turns the collector on, as a spawned worker starts."""
    import signal

    from migrate.batch import worker

    saved = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM), worker._IN_WORKER, gc.isenabled()
    signal.signal(signal.SIGTERM, lambda *_: None)
    gc.disable()  # a caller that paused the collector: its forked workers must still collect
    try:
        worker.ignore_sigint()
        assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
        assert gc.isenabled()
    finally:
        signal.signal(signal.SIGINT, saved[0])
        signal.signal(signal.SIGTERM, saved[1])
        worker._IN_WORKER = saved[2]
        if not saved[3]:
            gc.disable()


def test_a_fork_imports_the_readers_the_check_and_the_targets_emitters_only_first() -> None:
    import subprocess
    import sys

    code = ("import sys; from migrate.core.workers import inherited, modules_for\n"
            "with inherited('fork', modules_for(['akamai', 'openapi', 'akamai'])): pass\n"
            "print(sorted(m for m in sys.modules if m.startswith('migrate.') and m.endswith(('.emit', '.read'))"
            " or m == 'migrate.validation.openapi'))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == str(sorted([
        "migrate.emitters.akamai.emit", "migrate.emitters.openapi.emit", "migrate.readers.openapi.read",
        "migrate.readers.raml.read", "migrate.validation.openapi"]))


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_forked_and_spawned_workers_write_the_same_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         method: str) -> None:
    from migrate.batch import run
    from migrate.emitters.base import EmitOptions
    from tests.testsupport import SAMPLES

    monkeypatch.setattr(run, "start_method", lambda: method)
    specs = [SAMPLES / "petstore-swagger2.yaml", SAMPLES / "orders-openapi30.yaml", SAMPLES / "events-openapi31.yaml"]
    out = tmp_path / method
    run.run_batch(specs, ["akamai", "akana", "frends", "openapi"], out, EmitOptions(), ReadOptions(), 2, False,
                  "json", False, out=io.StringIO())
    written = {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*.json"))
               if p.name != "report.json"}
    assert len(written) == 3 * 4 * 2  # payload and diagnostics per spec and target
    reference = tmp_path / "inline"  # one process, no pool
    run.run_batch(specs, ["akamai", "akana", "frends", "openapi"], reference, EmitOptions(), ReadOptions(), 1,
                  False, "json", False, out=io.StringIO())
    assert written == {p.relative_to(reference).as_posix(): p.read_bytes() for p in sorted(reference.rglob("*.json"))
                       if p.name != "report.json"}


@pytest.mark.parametrize(("text", "hides"), [
    ('{"\\u0024ref": "other.json"}', True),  # JSON escape of "$"
    ('{"$\\u0072ef": "other.json"}', True),  # of "r"
    ('"\\x24ref": other.yaml\n', True),  # YAML double-quoted escapes
    ('"\\U00000024ref": other.yaml\n', True),
    ('"$re\\\nf": other.yaml\n', True),  # an escaped line break: YAML joins the lines
    ("a: !inc%6Cude other.raml\n", True),  # a %-escaped tag
    ("a: !INC%6cUDE other.raml\n", True),
    ('{"$ref": "#/a", "pattern": "^\\\\d+$", "note": "100% sure!"}', False),
    ("description: 'wow! 50%'\n", False),
])
def test_hides_references(text: str, hides: bool) -> None:
    from migrate.source.references import hides_references

    assert hides_references(text) is hides


def test_workers_take_the_largest_specs_first_and_the_report_keeps_their_order(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from migrate.batch import run
    from migrate.batch.jobs import Job
    from migrate.emitters.base import EmitOptions

    sizes = {"a": 10, "b": 3000, "c": 200, "d": 40000}
    jobs = []
    for name, size in sizes.items():
        path = tmp_path / f"{name}.yaml"
        path.write_text("x" * size)
        jobs.append(Job(path, ("openapi",), EmitOptions(), ReadOptions(), tmp_path / "out", name, name))
    given: list[str] = []

    def pool(todo: list[Job], *_: object) -> list[Job]:
        given.extend(j.name for j in todo)
        return []

    monkeypatch.setattr(run, "_run_pool", pool)
    run.execute(jobs, run.Pipeline(), 2, lambda result: None)
    assert given == ["d", "b", "c", "a"]
    assert [j.name for j in jobs] == ["a", "b", "c", "d"]  # the caller's list (the report's order) untouched


def test_a_forked_pool_leaves_the_parent_s_collector_as_it_found_it(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The parent freezes its heap for the fork and thaws it after; a caller's own frozen objects
    stay frozen, and with none, nothing stays frozen."""
    from migrate.batch import run
    from migrate.emitters.base import EmitOptions
    from tests.testsupport import SAMPLES

    monkeypatch.setattr(run, "start_method", lambda: "fork")
    specs = [SAMPLES / "petstore-swagger2.yaml", SAMPLES / "orders-openapi30.yaml"]
    gc.unfreeze()
    run.run_batch(specs, ["openapi"], tmp_path / "a", EmitOptions(), ReadOptions(), 2, False, "json", False,
                  out=io.StringIO())
    assert gc.get_freeze_count() == 0
    kept = [[n] for n in range(100)]
    gc.freeze()
    frozen = gc.get_freeze_count()
    try:
        run.run_batch(specs, ["openapi"], tmp_path / "b", EmitOptions(), ReadOptions(), 2, False, "json", False,
                      out=io.StringIO())
        assert gc.get_freeze_count() == frozen and kept
    finally:
        gc.unfreeze()


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_forked_and_spawned_validate_workers_give_each_file_its_own_result(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, method: str) -> None:
    from migrate.core import workers
    from migrate.validation.run import validate_file, validate_files
    from tests.testsupport import SAMPLES

    monkeypatch.setattr(workers, "start_method", lambda: method)
    files = [str(p) for p in sorted(SAMPLES.glob("*.yaml"))]
    bad = tmp_path / "bad.yaml"
    bad.write_text("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n"
                   "    T: {type: object, required: [a], allOf: [{type: object}]}\n")
    files += [str(bad)] * 4 + [str(tmp_path / "missing.yaml")]  # 8 or more: worker processes
    assert len(files) >= 8
    parallel = validate_files(files, ReadOptions(), jobs=2)
    alone = [validate_file(f, ReadOptions()) for f in files]
    assert parallel == alone
    assert any(r.diagnostics for r in alone) and any(r.error for r in alone)


def test_the_command_line_does_not_load_the_vendor_clients_it_may_not_use() -> None:
    """Every command starts by importing the command line: the HTTP stack (requests, the push and
    pull clients) is imported by the commands that talk to a vendor, when they run (60 ms of each
    start otherwise, serial before a batch's workers begin)."""
    import subprocess
    import sys

    code = ("import sys, migrate.cli\n"
            "print(sorted(m for m in ('requests', 'migrate.push.protocol', 'migrate.pull.run') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_a_batch_without_push_does_not_load_the_vendor_clients(tmp_path: Path) -> None:
    """``batch`` imports the push clients (and Akamai's EdgeGrid signer) only for ``--push``: serial
    before its workers begin. (requests itself comes with the validator, through jsonschema_path.)"""
    import subprocess
    import sys

    code = ("import sys\nfrom migrate.cli import main\n"
            "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('akamai.edgegrid', 'migrate.push.commands') if m in sys.modules),"
            " file=sys.stderr)")
    spec = SAMPLES / "orders-openapi30.yaml"
    done = subprocess.run([sys.executable, "-c", code, "batch", str(spec), "--to", "openapi", "--jobs", "1",
                           "-o", str(tmp_path / "out"), "--no-progress"], capture_output=True, text=True, check=True)
    assert done.stderr.strip().splitlines()[-1] == "[]"
    assert (tmp_path / "out" / "report.json").is_file()
