"""The 会議 view on the demo data: list, bulk attendance with the live quorum, an item refused with its numbers,
the pairing grid and the action inbox, and every dialog."""

from sqlalchemy import select

from tama_desk.db.models_meetings import Meeting
from tama_desk.ui.views.meeting_dialogs import (
    ActionDialog,
    AmendmentDialog,
    ItemDialog,
    MeetingDialog,
    MeetingSettingsDialog,
    PairingDialog,
    ParticipantDialog,
)
from tama_desk.ui.views.meetings import MeetingsView

from .conftest import loaded


def open_view(window):
    view = MeetingsView(window.content, window)
    view.pack(fill="both", expand=True)
    view.on_show()
    loaded(view)
    window.update()
    return view


def meeting_id(db, title_part: str) -> int:
    with db.reading() as session:
        return session.scalar(select(Meeting.id).where(Meeting.title.contains(title_part)))


def test_list_detail_and_inbox(window, demo_db):
    view = open_view(window)
    assert len(view.table.keys()) == 10
    board = meeting_id(demo_db, "第2回理事会")
    view.table.select(board)
    view.on_select()
    assert "9名中 出席 8名" in view.quorum_label.cget("text")
    inbox = view.inbox.rows
    assert inbox and inbox[0].overdue(__import__("datetime").date.today())


def test_a_meeting_saved_in_its_dialog_shows_at_once_and_the_list_follows(window, demo_db):
    view = open_view(window)
    board = meeting_id(demo_db, "第2回理事会")
    view.table.select(board)
    view.on_select()
    view.on_edit()
    [dialog] = [child for child in window.winfo_children() if isinstance(child, MeetingDialog)]
    dialog.form.vars["title"].set("令和8年度第2回理事会（臨時）")
    dialog.form.widgets["title"].focus_force()
    dialog.update()
    dialog.form.widgets["title"].event_generate("<Control-s>")
    window.update()
    assert not dialog.winfo_exists()
    assert "令和8年度第2回理事会（臨時）" in view.heading.cget("text")  # the detail at once
    loaded(view)  # the list read again in the background
    assert view.table.row(board).title == "令和8年度第2回理事会（臨時）" and view.table.selected() == board


def test_ticking_attendance_updates_the_quorum(window, demo_db):
    view = open_view(window)
    view.table.select(meeting_id(demo_db, "第3回理事会"))
    view.on_select()
    rows = [row for row in view.participants.rows if row.role in ("理事", "代表理事")][:5]
    view.participants.tree.selection_set([str(row.id) for row in rows])
    view.on_tick("欠席")
    window.update()
    assert "9名中 出席 4名" in view.quorum_label.cget("text") and "不成立" in view.quorum_label.cget("text")
    view.participants.tree.selection_set([str(rows[0].id)])
    view.on_tick("委任状")  # never presence at a 理事会
    assert "出席 4名" in view.quorum_label.cget("text")
    assert view.participants.row(str(rows[0].id)).attendance == "欠席"


def test_item_dialog_shows_the_numbers_and_refuses(window, demo_db, dialogs):
    view = open_view(window)
    board = meeting_id(demo_db, "第2回理事会")
    view.table.select(board)
    view.on_select()
    dialog = ItemDialog(view, window, board, on_saved=view.on_select)
    dialog.form.set("title", "予算の件")
    dialog.form.set("result", "可決")
    dialog.form.set("votes_for", "3")
    dialog.form.set("votes_against", "5")
    window.update()
    assert "可決要件を満たさない" in dialog.tally.cget("text")
    dialog.on_save()
    assert any("とできません" in message for message in dialogs.messages)  # the numbers: see error.text()
    dialog.form.set("votes_for", "7")
    dialog.form.set("votes_against", "1")
    dialog.on_save()
    window.update()
    assert [row.title for row in view.items.rows][-1] == "予算の件"


def test_every_dialog_opens_and_fits(window, demo_db):
    view = open_view(window)
    fair, board = meeting_id(demo_db, "イタリア"), meeting_id(demo_db, "第1回理事会")
    for make in (lambda: MeetingDialog(view, window), lambda: ItemDialog(view, window, board),
                 lambda: AmendmentDialog(view, window, board), lambda: PairingDialog(view, window, fair),
                 lambda: ActionDialog(view, window, board), lambda: MeetingSettingsDialog(view, window),
                 lambda: MeetingDialog(view, window, detail=view.detail), lambda: ParticipantDialog(view, window, board)):
        dialog = make()
        window.update()
        assert dialog.winfo_height() <= window.winfo_screenheight()
        assert dialog.main_button.winfo_ismapped()
        dialog.destroy()


def test_settings_dialog_saves_who_votes(window, demo_db):
    view = open_view(window)
    dialog = MeetingSettingsDialog(view, window)
    dialog.form.set("type:特別会員", "no")
    dialog.form.set("board_signers", "representative")
    dialog.on_save()
    from tama_desk.services import meetings

    with demo_db.reading() as session:
        assert meetings.voting_types(session)["特別会員"] is False
        assert meetings.get_settings(session).board_signers == "representative"


def test_participant_dialog_adds_and_confirmed_minutes_refuse_it(window, demo_db, dialogs):
    view = open_view(window)
    planned = meeting_id(demo_db, "第3回理事会")
    view.table.select(planned)
    view.on_select()
    dialog = ParticipantDialog(view, window, planned, on_saved=view.on_select)
    dialog.form.set("name", "新任 理事")
    dialog.form.set("arrival", "15:30")
    dialog.on_save()
    window.update()
    assert any(row.name == "新任 理事" for row in view.participants.rows)
    confirmed = meeting_id(demo_db, "第1回理事会")
    dialog = ParticipantDialog(view, window, confirmed)
    dialog.form.set("name", "後から 追加")
    dialog.on_save()
    assert any("確定済み" in message for message in dialogs.messages)
    dialog.destroy()
