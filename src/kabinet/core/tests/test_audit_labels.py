"""Every audit code the code base records has a Russian label (the staff audit log shows it)."""

from __future__ import annotations

import ast
from pathlib import Path

from django.utils import translation

from kabinet.core.audit_labels import audit_label, audit_labelled_codes, register_audit_labels

SRC = Path(__file__).resolve().parents[2]  # src/kabinet


def _module_dicts(tree: ast.Module) -> dict[str, ast.Dict]:
    """Module-level `NAME = {...}` literals (an action looked up in a table of literal codes)."""
    found = {}
    for node in tree.body:
        value = node.value if isinstance(node, ast.Assign | ast.AnnAssign) else None
        targets = (
            node.targets
            if isinstance(node, ast.Assign)
            else [node.target]
            if isinstance(node, ast.AnnAssign)
            else []
        )
        if isinstance(value, ast.Dict):
            for target in targets:
                if isinstance(target, ast.Name):
                    found[target.id] = value
    return found


def _codes(node: ast.expr, tables: dict[str, ast.Dict], where: str) -> set[str]:
    """The codes an `action=` expression can take: a literal, a conditional of literals, or a
    lookup in a module-level table of literals. Anything else cannot be checked: it fails."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _codes(node.body, tables, where) | _codes(node.orelse, tables, where)
    if (
        isinstance(node, ast.Subscript)
        and isinstance(node.value, ast.Name)
        and node.value.id in tables
    ):
        return set().union(*(_codes(v, tables, where) for v in tables[node.value.id].values))
    raise AssertionError(
        f"{where}: audit_record(action=...) must be a literal code (or a conditional of literals, "
        f"or a lookup in a module-level dict of literals) so its label can be checked"
    )


def recorded_audit_codes() -> dict[str, str]:
    """Every code passed to `audit_record(action=...)` in the source (tests excluded) → where."""
    codes: dict[str, str] = {}
    for path in sorted(SRC.rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        tables = _module_dicts(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name not in {"audit_record", "audit_record_many"}:
                continue
            for keyword in node.keywords:
                if keyword.arg == "action":
                    where = f"{path.relative_to(SRC)}:{node.lineno}"
                    for code in _codes(keyword.value, tables, where):
                        codes.setdefault(code, where)
    return codes


def test_the_scan_finds_the_codes_the_apps_record():
    # given the source tree
    # when it is scanned
    codes = recorded_audit_codes()
    # then it sees codes of several apps, including conditional and table-driven ones
    assert {"login.failed", "servicedesk.note_add", "servicedesk.staff_reply"} <= set(codes)
    assert {"billing.payment_succeeded", "inbound.released", "inbound.discarded"} <= set(codes)
    # a code recorded through a shared helper is still a literal at its caller (supply's purges)
    assert {"supply.bundles_purged", "supply.acts_purged"} <= set(codes)
    assert len(codes) > 50


def test_every_recorded_audit_code_has_a_label():
    # given every code the code base records
    codes = recorded_audit_codes()
    # when the apps have registered their labels (at start-up)
    missing = {code: where for code, where in codes.items() if code not in audit_labelled_codes()}
    # then none is left without one
    assert not missing, f"audit codes without a label (register_audit_labels): {missing}"


def test_labels_are_russian_and_unknown_codes_fall_back_to_the_code():
    with translation.override("ru"):
        assert audit_label("login.failed") == "Неудачная попытка входа"
        assert audit_label("servicedesk.note_add") == "Заявка: внутренняя заметка"
        assert audit_label("something.new") == "something.new"


def test_a_registered_label_is_used(monkeypatch):
    from kabinet.core import audit_labels

    # given an app that registers a label for its code (on a copy of the registry)
    monkeypatch.setattr(audit_labels, "_labels", dict(audit_labels._labels))
    register_audit_labels({"demo.test_label": "Проверка"})
    # then the label is used
    assert audit_label("demo.test_label") == "Проверка"
