from __future__ import annotations

import pytest

from tama_desk.domain.kana import (
    gojuon_key,
    hiragana_to_katakana,
    is_bank_kana,
    is_fullwidth_katakana,
    search_key,
    to_bank_kana,
    to_fullwidth_katakana,
)


def test_hiragana_to_katakana():
    assert hiragana_to_katakana("たまさんぎょう") == "タマサンギョウ"
    assert hiragana_to_katakana("abc 漢字") == "abc 漢字"


@pytest.mark.parametrize("variant", ["ｶﾀｶﾅ ABC123", "かたかな abc123", "カタカナ\u3000ＡＢＣ１２３", "ｶﾀｶﾅＡＢＣ １ ２ ３"])
def test_search_key_folds_width_kana_case_and_spaces(variant):
    assert search_key(variant) == search_key("カタカナABC123") == "カタカナabc123"


def test_search_key_voiced_half_width():
    assert search_key("ｶﾞｸ") == search_key("がく") == "ガク"


def test_search_key_empty():
    assert search_key(None) == ""
    assert search_key("") == ""
    assert search_key(" \u3000 ") == ""


def test_search_key_keeps_different_words_apart():
    assert search_key("タマ") != search_key("ダマ")
    assert search_key("ア") != search_key("ァ")


def test_to_fullwidth_katakana():
    assert to_fullwidth_katakana("ﾀﾏｻﾝｷﾞｮｳ") == "タマサンギョウ"
    assert to_fullwidth_katakana("たまさんぎょう") == "タマサンギョウ"
    assert to_fullwidth_katakana("  ﾀﾏ   ｻﾝｷﾞｮｳ ") == "タマ\u3000サンギョウ"
    assert to_fullwidth_katakana("ﾊﾟﾝ") == "パン"


def test_is_fullwidth_katakana():
    assert is_fullwidth_katakana("タマ\u3000サンギョウ・ヴー")
    assert not is_fullwidth_katakana("たま")
    assert not is_fullwidth_katakana("ﾀﾏ")
    assert not is_fullwidth_katakana("多摩")
    assert not is_fullwidth_katakana("")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("カ）ショウジ", "ｶ)ｼﾖｳｼﾞ"),
        ("ショ", "ｼﾖ"),
        ("ガ", "ｶﾞ"),
        ("ヴ", "ｳﾞ"),
        ("パ", "ﾊﾟ"),
        ("ぱ", "ﾊﾟ"),
        ("キャッシュ", "ｷﾔﾂｼﾕ"),
        ("ァィゥェォ", "ｱｲｳｴｵ"),
        ("タマ　ショウジ", "ﾀﾏ ｼﾖｳｼﾞ"),
        ("ﾀﾏ abc", "ﾀﾏ ABC"),
        ("ｶﾌﾞｼｷｶﾞｲｼﾔ", "ｶﾌﾞｼｷｶﾞｲｼﾔ"),
        ("コーポレーション", "ｺｰﾎﾟﾚｰｼﾖﾝ"),
    ],
)
def test_to_bank_kana(text, expected):
    assert to_bank_kana(text) == expected
    assert is_bank_kana(expected)


def test_is_bank_kana():
    assert is_bank_kana("ｶ)ﾀﾏｼﾖｳｼﾞ 0012")
    assert not is_bank_kana("ｶ)ﾀﾏｼｮｳｼﾞ" + "ア")  # full width
    assert not is_bank_kana("ﾀﾏ abc")  # lower case
    assert not is_bank_kana("多摩")


def test_gojuon_order_voiced_after_plain_before_next():
    assert sorted(["キ", "ガ", "カ"], key=gojuon_key) == ["カ", "ガ", "キ"]
    assert sorted(["イ", "ア"], key=gojuon_key) == ["ア", "イ"]
    assert gojuon_key("カ") < gojuon_key("ガ") < gojuon_key("キ")
    assert gojuon_key("ハ") < gojuon_key("バ") < gojuon_key("パ") < gojuon_key("ヒ")


def test_gojuon_key_small_kana_with_large():
    # キャ sorts by キヤ: after キム (ム < ヤ), before キヨ? (ヤ < ヨ)
    assert gojuon_key("キム") < gojuon_key("キャク") < gojuon_key("キヨ")
    assert gojuon_key("シャ") < gojuon_key("シヤ")  # same fold; the original decides, stably


def test_gojuon_key_hiragana_as_katakana():
    words = ["たま", "アサヒ", "かが", "サガミ"]
    assert sorted(words, key=gojuon_key) == ["アサヒ", "かが", "サガミ", "たま"]
