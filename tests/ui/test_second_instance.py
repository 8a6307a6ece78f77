"""The second-instance question is asked in the app's language with its own buttons, before any main window."""

from tama_desk import i18n, single_instance


def test_second_window_question_in_japanese(dialogs):
    dialogs.answer = "キャンセル"
    assert single_instance.ask_second_window() is False
    title, message = dialogs.shown[-1]
    assert title == "TAMA Desk" and message == "TAMA Desk は既に起動しています。もう1つ開きますか？"


def test_second_window_question_in_english(dialogs):
    i18n.set_language("en")
    try:
        assert single_instance.ask_second_window() is True  # the last button: 開く / Open
        assert "already open" in dialogs.messages[-1]
    finally:
        i18n.set_language("ja")
