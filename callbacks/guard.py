"""Every screen request (``POST /_dash-update-component``) is checked before any callback runs.

A callback is an HTTP endpoint anyone who can reach the page can call with any body. Rather than
each callback defending itself, one check here refuses, with a 400 and a Chinese message, a
request the page itself could not have sent:

1. its shape, against the app's registered callbacks (``app.callback_map``): the callback must be
   one of ours and run on the server; its outputs, inputs and state must be exactly the declared
   component ids and properties, in order (a pattern-matching id: a list of ids of the declared
   shape, the same ids wherever the same pattern appears); the properties said to have changed
   must be among its inputs;
2. every value, against the contract of its component property (``callbacks/contracts.py``): a
   measure the map does not have, a list where a date goes, a dict for a town code, a string
   of a million characters are refused naming the component.

What a value *means* (whether that town exists, whether the user may see it) stays the
callback's business (``dashboard.access``): the check makes sure it is a value of the right kind.

``install(app)`` runs once all callbacks are registered; it refuses to start an app whose
callbacks read a property without a contract.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

from dash.dependencies import Wildcard
from flask import jsonify, request

from dashboard import strings
from .contracts import ID_KEYS, PROPS
from .propcheck import Contract, Refused

log = logging.getLogger(__name__)
PATH = "/_dash-update-component"
MAX_BODY = 1_000_000  # bytes: the largest answer a page sends back is a few kilobytes
MAX_MATCHES = 1000  # ids one pattern may match on a page
WILDCARDS = ("ALL", "MATCH", "ALLSMALLER")


class BadRequest(Exception):
    """A request the page could not have sent; the message is for the answer."""


@dataclass(frozen=True)
class Dep:
    """One declared output, input or state: a plain id, or a pattern (dict with wildcards)."""

    id: str | dict
    prop: str

    @property
    def pattern(self) -> bool:
        return isinstance(self.id, dict) and any(_wild(v) for v in self.id.values())

    @property
    def key(self) -> str:
        """The component name contracts are keyed by: the id, or a dict id's type."""
        return self.id.get("type", "") if isinstance(self.id, dict) else self.id

    @property
    def pattern_key(self) -> str:
        """The same text for the same pattern, whether declared as an output or an input."""
        return json.dumps({k: "*" if _wild(v) else v for k, v in self.id.items()}, sort_keys=True)

    def matches(self, cid) -> bool:
        """Whether ``cid`` is this dependency's id (for a pattern: an id of its shape)."""
        if not self.pattern:
            return cid == self.id
        if not isinstance(cid, dict) or set(cid) != set(self.id):
            return False
        for k, v in self.id.items():
            if _wild(v):
                if isinstance(cid[k], (dict, list)) or cid[k] is None:
                    return False
            elif cid[k] != v:
                return False
        return True


@dataclass(frozen=True)
class Spec:
    server: bool
    multi: bool
    outputs: tuple[Dep, ...]
    inputs: tuple[Dep, ...]
    state: tuple[Dep, ...]


def _wild(v) -> bool:
    return isinstance(v, Wildcard) or (isinstance(v, list) and len(v) == 1 and v[0] in WILDCARDS)


def _parse_id(raw: str):
    return json.loads(raw) if raw.startswith("{") else raw


def _output_deps(outputs) -> tuple[Dep, ...]:
    outs = outputs if isinstance(outputs, (list, tuple)) else [outputs]
    return tuple(Dep(o.component_id, o.component_property) for o in outs)


def index(callback_map: dict) -> dict[str, Spec]:
    """What each registered callback declares, by the output key the renderer names it with."""
    out = {}
    for key, cb in callback_map.items():
        out[key] = Spec(
            server="callback" in cb,
            multi=key.startswith(".."),
            outputs=_output_deps(cb["output"]),
            inputs=tuple(Dep(_parse_id(d["id"]), d["property"]) for d in cb["inputs"]),
            state=tuple(Dep(_parse_id(d["id"]), d["property"]) for d in cb["state"]),
        )
    return out


def missing_contracts(specs: dict[str, Spec]) -> list[str]:
    """The ``id.property`` pairs server callbacks read that no contract declares."""
    missing = set()
    for spec in specs.values():
        if not spec.server:
            continue
        for d in spec.inputs + spec.state:
            # A pattern's keys must be declared; its "id" property is the id itself, any other
            # property needs its own contract, like a plain component's.
            known = (not d.pattern or d.key in ID_KEYS) and ((d.pattern and d.prop == "id") or (d.key, d.prop) in PROPS)
            if not known:
                missing.add(f"{d.key}.{d.prop}")
    return sorted(missing)


# --- checking a request ----------------------------------------------------------------------------


def _name(cid) -> str:
    if isinstance(cid, dict):
        return str(cid.get("type", "?"))[:64]
    return str(cid)[:64]


def _clean_prop(prop) -> str:
    return prop.split("@", 1)[0] if isinstance(prop, str) else prop


def _check_entry(entry, dep: Dep, *, output: bool) -> None:
    if not isinstance(entry, dict) or "id" not in entry or not isinstance(entry.get("property"), str):
        raise BadRequest(strings.CALLBACK_NOT_JSON)
    if not dep.matches(entry["id"]) or _clean_prop(entry["property"]) != dep.prop:
        raise BadRequest(strings.CALLBACK_BAD_OUTPUTS if output else
                         strings.CALLBACK_BAD_ID.format(id=_name(entry["id"])))
    if dep.pattern:
        for k, contract in ID_KEYS.get(dep.key, {}).items():
            try:
                contract.check(entry["id"].get(k))
            except Refused:
                raise BadRequest(strings.CALLBACK_BAD_ID.format(id=_name(entry["id"]))) from None


def _entries(given, dep: Dep, *, output: bool, what: str) -> list[dict]:
    """The request's entries for one dependency: one dict, or a list of them for a pattern."""
    if dep.pattern:
        if not isinstance(given, list) or len(given) > MAX_MATCHES:
            raise BadRequest(what)
        for e in given:
            _check_entry(e, dep, output=output)
        ids = [json.dumps(e["id"], sort_keys=True) for e in given]
        if len(set(ids)) != len(ids):
            raise BadRequest(what)
        return given
    _check_entry(given, dep, output=output)
    return [given]


def _value_contract(dep: Dep) -> Contract | None:
    if dep.pattern and dep.prop == "id":
        return None  # the value is the id itself (checked below)
    return PROPS[(dep.key, dep.prop)]


def check(body, specs: dict[str, Spec]) -> None:
    """Raise ``BadRequest`` unless ``body`` is a request the page could have sent."""
    if not isinstance(body, dict) or not isinstance(body.get("output"), str):
        raise BadRequest(strings.CALLBACK_NOT_JSON)
    spec = specs.get(body["output"])
    if spec is None or not spec.server:
        raise BadRequest(strings.CALLBACK_UNKNOWN)

    # outputs: one entry, or (several outputs) a list with one per output
    outputs = body.get("outputs")
    given_outputs = outputs if spec.multi else [outputs]
    if not isinstance(given_outputs, list) or len(given_outputs) != len(spec.outputs):
        raise BadRequest(strings.CALLBACK_BAD_OUTPUTS)
    matched: dict[str, list[str]] = {}  # pattern -> the ids it matched, wherever it appears

    def same_ids(dep: Dep, entries: list[dict], message: str):
        if dep.pattern:
            key = dep.pattern_key
            got = [json.dumps(e["id"], sort_keys=True) for e in entries]
            if matched.setdefault(key, got) != got:
                raise BadRequest(message)

    for given, dep in zip(given_outputs, spec.outputs):
        same_ids(dep, _entries(given, dep, output=True, what=strings.CALLBACK_BAD_OUTPUTS), strings.CALLBACK_BAD_OUTPUTS)

    # inputs and state: exactly the declared ones, in order, each value within its contract
    changeable = set()
    for part, deps in (("inputs", spec.inputs), ("state", spec.state)):
        given = body.get(part)
        if given is None and not deps:
            continue
        what = strings.CALLBACK_BAD_INPUTS.format(part=strings.CALLBACK_PARTS[part], what=len(deps))
        if not isinstance(given, list) or len(given) != len(deps):
            raise BadRequest(what)
        for entry, dep in zip(given, deps):
            entries = _entries(entry, dep, output=False, what=what)
            same_ids(dep, entries, what)
            contract = _value_contract(dep)
            for e in entries:
                value = e.get("value")
                if contract is None:
                    if value is not None and value != e["id"]:
                        raise BadRequest(strings.CALLBACK_BAD_VALUE.format(id=_name(e["id"]), prop=dep.prop,
                                                                           reason=strings.PROP_REASONS["id_value"]))
                    continue
                try:
                    contract.check(value)
                except Refused as exc:
                    raise BadRequest(strings.CALLBACK_BAD_VALUE.format(id=_name(e["id"]), prop=dep.prop,
                                                                       reason=exc)) from None
                if part == "inputs":
                    changeable.add(_prop_id(e["id"], dep.prop))

    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or len(changed) > MAX_MATCHES:
        raise BadRequest(strings.CALLBACK_BAD_CHANGED)
    for c in changed:
        if not isinstance(c, str) or _normal_prop_id(c) not in changeable:
            raise BadRequest(strings.CALLBACK_BAD_CHANGED)


def _prop_id(cid, prop: str) -> str:
    return (json.dumps(cid, sort_keys=True) if isinstance(cid, dict) else cid) + "." + prop


def _normal_prop_id(text: str) -> str | None:
    """``id.property`` as the renderer writes it (a dict id as compact JSON), normalised."""
    cid, dot, prop = text.rpartition(".")
    if not dot:
        return None
    if cid.startswith("{"):
        try:
            parsed = json.loads(cid)
        except ValueError:
            return None
        return _prop_id(parsed, prop) if isinstance(parsed, dict) else None
    return text


def refusal(message: str, status: int = 400):
    resp = jsonify(error=strings.CALLBACK_REFUSED.format(reason=message))
    resp.status_code = status
    return resp


def install(app) -> None:
    """Check every callback request of ``app`` from now on. Raises if a server callback reads a
    property that no contract declares (the list says which)."""
    specs = index(app.callback_map)
    missing = missing_contracts(specs)
    if missing:
        raise RuntimeError("callback inputs without a contract in callbacks/contracts.py: " + ", ".join(missing))

    def before():
        if request.path != PATH or request.method != "POST":
            return None
        if request.content_length is not None and request.content_length > MAX_BODY:
            return refusal(strings.CALLBACK_TOO_LARGE.format(n=MAX_BODY), 413)
        raw = request.get_data(cache=True)
        if len(raw) > MAX_BODY:
            return refusal(strings.CALLBACK_TOO_LARGE.format(n=MAX_BODY), 413)
        body = request.get_json(silent=True)
        try:
            check(body, specs)
        except BadRequest as exc:
            # The reason names the component, never the value (it may hold what someone typed).
            log.info("refused a callback request: %s", exc)
            return refusal(str(exc))
        return None

    app.server.before_request(before)
