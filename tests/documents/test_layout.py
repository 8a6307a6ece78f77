"""CJK line breaking (layout.break_lines / Pen.wrap)."""

from __future__ import annotations

from io import BytesIO

import pytest

from tama_desk.documents.layout import NO_LINE_START, atoms, break_lines, new_canvas


def chars(text: str) -> float:
    return float(len(text))


def pen():
    return new_canvas(BytesIO())[1]


@pytest.mark.parametrize("whole", ["2026年4月1日", "令和8年12月5日", "2026/04/01", "R8.12.5", "70,000円", "12月5日",
                                   "ネットワーク", "INV-2026-0001", "T1234567890123", "info@tama-net.example.jp",
                                   "2026年度", "ｼﾔ)ﾀﾏｻﾝｷﾞﾖｳ"])
def test_dates_numbers_and_words_are_never_split(whole):
    text = f"あいうえおかきく{whole}のけこさしすせそ"
    for limit in range(len(whole), 20):
        lines = break_lines(text, chars, [limit])
        assert any(whole in line for line in lines), (limit, lines)
        assert "".join(lines) == text


def test_no_forbidden_character_starts_a_line():
    text = "ご請求いたしました。ありがとうございます、よろしくお願いいたします（当会事務局）。コーヒーとショートケーキ"
    for limit in range(3, 20):
        lines = break_lines(text, chars, [limit])
        assert "".join(lines) == text
        for line in lines[1:]:
            assert line[0] not in NO_LINE_START, (limit, lines)
        for line in lines[:-1]:
            assert line[-1] not in "（「", (limit, lines)


def test_small_kana_and_long_vowel_mark_stay_on_the_line_before():
    assert atoms("ッ") == ["ッ"]
    assert atoms("まっすぐ") == ["ま", "っ", "す", "ぐ"] or atoms("まっすぐ") == ["まっ", "す", "ぐ"]
    assert "まっ" in atoms("まっすぐ")


def test_a_word_longer_than_a_line_is_split_by_characters():
    lines = break_lines("アイウエオカキクケコサシスセソ", chars, [6])
    assert lines == ["アイウエオカ", "キクケコサシ", "スセソ"]


def test_address_breaks_at_the_space_before_the_building():
    lines = break_lines("東京都立川市曙町二丁目1番1号 ルミネ立川ビル10階", chars, [20], at_spaces=True)
    assert lines == ["東京都立川市曙町二丁目1番1号", "ルミネ立川ビル10階"]


def test_widths_per_line():
    lines = break_lines("あいうえおかきくけこさしすせそ", chars, [3, 5])
    assert lines == ["あいう", "えおかきく", "けこさしす", "せそ"]


def test_pen_wrap_keeps_paragraphs_and_fits_the_width():
    p = pen()
    text = "2026年4月1日付でご請求いたしました下記の請求書につきまして、お支払期限（2026年4月30日）を過ぎております。\n以上"
    lines = p.wrap(text, 10, 60)
    assert lines[-1] == "以上"
    assert all(p.width(line, 10) <= 60 + 1e-6 for line in lines)
    assert "".join(lines[:-1]) == text.splitlines()[0]
    assert any("2026年4月30日" in line for line in lines)
