"""The matrix declaration (tests/variants.py) stays complete and well-formed."""

from __future__ import annotations

import itertools

import pytest
import variants
import yaml

COPIER = yaml.safe_load((variants.ROOT / "copier.yml").read_text())
# Computed values (`when: false`) are never asked, so the matrix cannot choose them.
QUESTIONS = {
    name: spec
    for name, spec in COPIER.items()
    if not name.startswith("_") and spec.get("when") is not False
}


def choice_values(spec: dict) -> list:
    choices = spec["choices"]
    return list(choices.values()) if isinstance(choices, dict) else list(choices)


@pytest.mark.parametrize("question", [q for q, s in QUESTIONS.items() if "choices" in s])
def test_every_choice_covered(question):
    assert question in variants.QUESTIONS, f"add {question!r} to QUESTIONS in tests/variants.py"
    missing = set(choice_values(QUESTIONS[question])) - set(variants.QUESTIONS[question])
    assert not missing, f"{question}: values not in the matrix: {sorted(missing)}"


@pytest.mark.parametrize("question", [q for q, s in QUESTIONS.items() if s.get("type") == "bool"])
def test_every_bool_covered(question):
    assert question in variants.QUESTIONS, f"add {question!r} to QUESTIONS in tests/variants.py"
    assert set(variants.QUESTIONS[question]) == {True, False}


def test_matrix_only_names_real_questions():
    declared = set(variants.QUESTIONS) | set(variants.BASE_ANSWERS)
    for partial in variants.NAMED.values():
        declared |= set(partial)
    unknown = declared - set(QUESTIONS)
    assert not unknown, f"not copier.yml questions: {sorted(unknown)}"


def test_pairwise_covers_every_pair():
    chosen = [v.resolved for v in variants.pairwise()]
    names = list(variants.QUESTIONS)
    for a, b in itertools.combinations(names, 2):
        for pair in itertools.product(variants.QUESTIONS[a], variants.QUESTIONS[b]):
            if not variants.is_valid(dict(zip((a, b), pair, strict=True))):
                continue
            assert any((r[a], r[b]) == pair for r in chosen), f"{a}, {b} = {pair} not covered"


@pytest.mark.parametrize("selection", ["named", "pairwise", "full"])
def test_ids_and_db_names_unique_and_safe(selection, monkeypatch):
    monkeypatch.setenv("DJANGO_PRO_MATRIX", selection)
    chosen = variants.select("suite")
    assert chosen, "empty selection"
    names = [v.name for v in chosen]
    dbs = [v.db_name for v in chosen]
    assert len(set(names)) == len(names), names
    assert len(set(dbs)) == len(dbs), dbs
    for db in dbs:
        assert db.isidentifier() and db == db.lower() and len(db) <= 63, db
    # Redis database 0 is the developer's own: no test writes there.
    assert all(1 <= v.redis_db <= 15 for v in chosen)
    assert all(variants.is_valid(v.resolved) for v in chosen)


def test_full_product_size():
    expected = 1
    for values in variants.QUESTIONS.values():
        expected *= len(values)
    assert len(variants.full_product()) == expected  # until is_valid refuses something


def test_unknown_matrix_refused(monkeypatch):
    monkeypatch.setenv("DJANGO_PRO_MATRIX", "everything")
    with pytest.raises(ValueError, match="DJANGO_PRO_MATRIX"):
        variants.select("suite")
