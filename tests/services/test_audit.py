from __future__ import annotations

from tama_desk.services import audit


def test_record_and_history(db, monkeypatch):
    monkeypatch.setattr(audit, "current_user", lambda: "office1")
    with db.transaction() as session:
        audit.record(session, "create", "member", 1, "0001 A")
        audit.record(session, "update", "member", 2, "0002 B")
        audit.record(session, "update", "member", 1, "0001 A2")
    with db.reading() as session:
        entries = audit.history(session, "member", 1)
    assert [(e.action, e.summary, e.user) for e in entries] == [("create", "0001 A", "office1"),
                                                                  ("update", "0001 A2", "office1")]


def test_every_summary_template_has_english():
    from tama_desk.i18n_en import ENGLISH

    assert [template for template in audit.SUMMARIES if template not in ENGLISH] == []


def test_summaries_are_shown_in_english_from_their_template_codes_included():
    from tama_desk import i18n

    written = {"2026年度 会費請求 274 件 16,900,000円": "FY2026 fee billing: 274 invoices, ¥16,900,000",
               "2026年度 正会員 70,000円": "FY2026 Regular member ¥70,000",
               "返還請求書 2026-0276 八王子市 産業振興部 220,000円": "Credit note 2026-0276 八王子市 産業振興部 ¥220,000",
               "2026-04-17 70,000円 振込 ｶ)ﾀﾏ ｿﾌﾄ → 2026-0001:70,000": "2026-04-17 ¥70,000 Transfer ｶ)ﾀﾏ ｿﾌﾄ → 2026-0001:70,000",
               "督促状 2026-11-01 70,000円": "Final reminder 2026-11-01 ¥70,000",
               "0114: 登録済": "0114: Registered",
               "八王子市 City Sales in Shanghai 5,500,000円 概算払い 課税10%":
                   "八王子市 City Sales in Shanghai ¥5,500,000 Advance and settlement Taxable 10%",
               "検査 2026-10-10 合格（第1回）": "Inspection 2026-10-10 Passed (milestone 1)",
               "完了": "Done",
               "0001 株式会社テスト": "0001 株式会社テスト"}  # names stay as entered
    assert {summary: audit.describe(summary) for summary in written} == {s: s for s in written}  # Japanese: as is
    i18n.set_language("en")
    try:
        assert {summary: audit.describe(summary) for summary in written} == written
    finally:
        i18n.set_language("ja")


def test_the_demo_data_set_summaries_keep_no_japanese_template_words_in_english(demo_db):
    from sqlalchemy import select

    from tama_desk import i18n
    from tama_desk.db.models import AuditLog

    with demo_db.reading() as session:
        summaries = set(session.scalars(select(AuditLog.summary)))
    i18n.set_language("en")
    try:
        shown = {audit.describe(summary) for summary in summaries}
    finally:
        i18n.set_language("ja")
    words = ("円", "請求書", "振込", "完了届", "検査", "確定額", "交付決定額", "団体情報", "議案", "報告事項")
    left = sorted(text for text in shown if any(word in text for word in words) and not text.startswith("Amendment"))
    assert left == []
