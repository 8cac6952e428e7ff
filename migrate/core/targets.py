"""The one registry of targets, vendors and target options.

The CLI's choices, ``batch`` (targets, manifest options), ``rehearse``, the push configuration
and the sandboxes all derive from this module: adding a target is one emitter package plus one
entry in ``TARGETS`` (and, for a vendor, one in ``VENDORS``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

#: every output target, in the order reports list them
TARGETS: tuple[str, ...] = ("akamai", "akana", "frends", "openapi")
#: the targets that are API platforms (plan, push, sandboxes)
VENDORS: tuple[str, ...] = ("akamai", "akana", "frends")


def emitter_path(target: str) -> str:
    """``module:function`` of the target's emitter (imported on first use)."""
    return f"migrate.emitters.{target}.emit:emit"


@dataclass(frozen=True)
class OptionSpec:
    """How a target option is written on the command line and in a batch manifest."""

    flag: str
    help: str
    choices: tuple[str, ...] = ()
    multiple: bool = False
    is_path: bool = False
    kind: str = ""  # "hostname", "url" or "path": checked by ``option_value``; "file": a file (else a folder)


def _option(default: Any, flag: str, help: str, **kw: Any) -> Any:
    return field(default=default, metadata={"option": OptionSpec(flag, help, **kw)})


@dataclass(frozen=True)
class EmitOptions:
    """Target options from the command line, a profile or a batch manifest. ``None`` means "from
    the spec". Each field's metadata says how users write it (``OptionSpec``)."""

    # Akamai
    host: str | None = _option(None, "--host", "Akamai: hostname the endpoint is served on.", kind="hostname")
    contract_id: str | None = _option(None, "--contract-id", "Akamai: contract id.")
    group_id: str | None = _option(None, "--group-id", "Akamai: group id.")
    name: str | None = _option(None, "--name", "Endpoint/API name (default: the spec's title).")
    categories: tuple[str, ...] = _option((), "--category",
                                          "Akamai: API category id or name (repeatable; a name Akamai does not "
                                          "have is created at push).", multiple=True)
    akamai_settings: Path | None = _option(None, "--akamai-settings",
                                           "Akamai: delivery settings file (YAML: JWT key and claims, API privacy, "
                                           "CORS, cache, GZIP; README 'Akamai: what the migration sets up').",
                                           is_path=True, kind="file")
    akamai_mode: str = _option("definition", "--akamai-mode",
                               "Akamai: push our endpoint definition, or have Akamai import the spec itself "
                               "(Swagger 2.0 or RAML 0.8, one file).", choices=("definition", "import"))
    # Akana
    akana_format: str = _option("json", "--akana-format", "Akana: body format of POST /api/apis.",
                                choices=("json", "xml"))
    akana_mode: str = _option("legacy", "--akana-mode", "Akana: legacy API body, or OpenAPI upload plus DLDescriptor.",
                              choices=("legacy", "import"))
    target_url: str | None = _option(None, "--target-url", "Akana: backend URL (default: the spec's server).",
                                     kind="url")
    akana_endpoint: str | None = _option(None, "--akana-endpoint",
                                         "Akana: the proxy URL the platform serves the API on (a listener of "
                                         "the platform, never the backend); default: the profile's, else none.",
                                         kind="url")
    akana_cname: str | None = _option(None, "--akana-cname", "Akana: the proxy endpoint's CName (virtual host).",
                                      kind="hostname")
    akana_visibility: str | None = _option(None, "--akana-visibility",
                                           "Akana: who sees the API (e.g. Public, com.soa.visibility.registered.users;"
                                           " default: the profile's, else akana/defaults.j2: registered users).")
    akana_auto_approve: str | None = _option(None, "--akana-auto-approve",
                                             "Akana: approve endpoint access requests automatically (default: the "
                                             "profile's, else akana/defaults.j2: no).", choices=("yes", "no"))
    akana_zone_rule: str | None = _option(None, "--akana-zone-rule",
                                          "Akana: the proxy endpoint's DeploymentZoneRule (deployment zone).")
    akana_policies: tuple[str, ...] = _option((), "--akana-policy",
                                              "Akana: SCHEME=POLICYKEY, the organisation's policy for a security "
                                              "scheme (by name, or kind: apiKey, oauth2, openIdConnect, http-basic, "
                                              "...); repeatable; before the profile's akana_policies.",
                                              multiple=True)
    akana_sandbox_url: str | None = _option(None, "--akana-sandbox-url",
                                            "Akana: backend URL of the Sandbox implementation (default: the spec's "
                                            "server described as sandbox, else none).", kind="url")
    # Frends
    base_path: str | None = _option(None, "--base-path",
                                    "Frends: the base path the API is known by in Frends (default: the path of the "
                                    "spec's first server); one API per base path.", kind="path")
    passthrough_target: str | None = _option(None, "--passthrough-target",
                                             "Frends: write passthrough configs to this backend URL.", kind="url")
    frends_mode: str | None = _option(None, "--frends-mode",
                                      "Frends: passthrough (the API definition, with passthrough configs when a "
                                      "--passthrough-target is given) or processes (also a Frends Process per "
                                      "operation from its process template, imported, published and deployed); "
                                      "default: the profile's frends_mode, else passthrough.",
                                      choices=("passthrough", "processes"))
    # all
    templates_dir: Path | None = _option(None, "--templates", "Folder whose templates shadow the built-in ones.",
                                         is_path=True)


def option_specs() -> list[tuple[str, OptionSpec, Any]]:
    """``(field name, how it is written, default)`` for every target option, in field order."""
    return [(f.name, f.metadata["option"], f.default) for f in fields(EmitOptions)]


def _folded(text: str) -> str:
    return text.replace("-", "").replace("_", "").lower()


def option_named(key: str) -> str | None:
    """The ``EmitOptions`` field a manifest key names: the option as typed (``contract-id``,
    ``--contract-id``), the field name (``contract_id``) or either without dashes and case."""
    wanted = _folded(key)
    for name, spec, _ in option_specs():
        if wanted in (_folded(name), _folded(spec.flag)) or (spec.multiple and wanted == _folded(name).rstrip("s")):
            return name
    return None


def option_value(name: str, value: Any, base: Path | None = None) -> Any:
    """A raw option value (command line or manifest) as the ``EmitOptions`` field holds it; a
    relative path is taken from ``base`` (a manifest's folder). Raises ``ValueError`` for a value
    outside the option's choices."""
    f = EmitOptions.__dataclass_fields__[name]
    spec: OptionSpec = f.metadata["option"]
    if value is None:
        return f.default
    if spec.choices and str(value) not in spec.choices:
        raise ValueError(f"{spec.flag} must be one of {', '.join(spec.choices)}, not {value!r}")
    if spec.multiple:
        return tuple(str(v) for v in (value if isinstance(value, list | tuple) else [value]))
    if spec.is_path:
        return (base / str(value)).resolve() if base else Path(str(value))
    _check_kind(spec, str(value))
    return str(value)


_HOSTNAME = re.compile(r"(?=.{1,253}$)(?!-)[A-Za-z0-9-]{1,63}(?<!-)(\.(?!-)[A-Za-z0-9-]{1,63}(?<!-))*\.?")


def _check_kind(spec: OptionSpec, value: str) -> None:
    """A hostname is a name alone (``api.example.com``: no scheme, port or path); a URL is
    absolute http(s) with a host. ValueError naming the option as typed otherwise."""
    if spec.kind == "hostname" and not _HOSTNAME.fullmatch(value):
        raise ValueError(f"{spec.flag} {value!r}: give a hostname alone, such as api.example.com "
                         "(no scheme, port or path)")
    if spec.kind == "path" and not re.fullmatch(r"/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*", value):
        raise ValueError(f"{spec.flag} {value!r}: give a URL path starting with /, such as /orders/v1 "
                         "(no scheme, host or query)")
    if spec.kind == "url":
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"{spec.flag} {value!r}: give an absolute http(s) URL, such as "
                             "https://backend.example.com/orders")
