"""Every string the code passes to t() literally has an English translation, and fields survive."""

import ast
import string
from pathlib import Path

import pytest

import tama_desk
from tama_desk import i18n
from tama_desk.domain import choices
from tama_desk.i18n_en import ENGLISH

PACKAGE = Path(tama_desk.__file__).parent


def literal_t_calls() -> dict[str, str]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "t" and node.args
                    and isinstance(node.args[0], ast.Constant)):
                context = next((k.value.value for k in node.keywords if k.arg == "context"), "")
                key = f"{context}|{node.args[0].value}" if context else node.args[0].value
                found.setdefault(key, f"{path.relative_to(PACKAGE)}:{node.lineno}")
    return found


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_literal_passed_to_t_has_an_english_entry():
    missing = {text: where for text, where in literal_t_calls().items() if text not in ENGLISH}
    assert not missing, missing
    assert len(literal_t_calls()) > 60  # the scan really found the calls


@pytest.mark.parametrize("table", [choices.MEMBER_CATEGORIES, choices.MEMBER_STATUSES, choices.TAX_CATEGORIES,
                                   choices.ROUNDING_MODES])
def test_code_list_labels_are_translated(table):
    assert all(label in ENGLISH for label in table.values())


def test_translations_keep_the_same_fields():
    for japanese, english in ENGLISH.items():
        if "{" in japanese and "}" in japanese and "（" not in japanese:
            assert fields(japanese) == fields(english), japanese


def test_t_switches_language_and_fills_fields():
    assert i18n.t("{n} 件", n=3) == "3 件"
    i18n.set_language("en")
    try:
        assert i18n.t("{n} 件", context="会員", n=3) == "3 members"
        assert i18n.t("{n} 件", context="請求", n=3) == "3 invoices"
        assert i18n.t("{n} 件", context="会員", n=3) != i18n.t("{n} 件", context="請求", n=3)
        assert i18n.t("まだ訳のない文") == "まだ訳のない文"
    finally:
        i18n.set_language("ja")
    with pytest.raises(ValueError):
        i18n.set_language("fr")
