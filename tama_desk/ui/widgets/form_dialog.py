"""A dialog of one form and one action: `FormDialog(parent, title, db)` puts a `Form` in its body; its save
button (Ctrl+S, Ctrl+Enter) checks the form, runs `save(session)` in one transaction of `db`, closes and calls
`saved(result)` (by default: a message `save` returned is shown in the status bar). A refusal (`UserError`, or a `ValueError` of a typed value) is shown and the dialog stays
open with what was typed.

    class SignDialog(FormDialog):
        def __init__(self, parent, app, contract_id):
            super().__init__(parent, t("契約締結"), app.db)
            self.form.add("date", "契約日", "date", required=True)
            self.form.pack(fill="both", expand=True)
            self.add_button(t("記録する"), self.on_save, main=True, save=True)
            self.show()

        def save(self, session):
            return contracts.sign(session, contract_id, self.form.value("date")).title
"""

from __future__ import annotations

from datetime import date

from tama_desk.errors import UserError
from tama_desk.ui.widgets.dialog import Dialog
from tama_desk.ui.widgets.form import Form


class FormDialog(Dialog):
    def __init__(self, parent, title: str, db, *, today: date | None = None):
        super().__init__(parent, title)
        self.db = db
        self.form = Form(self.body, on_submit=self.on_save, on_change=self.on_change, scroll=False, today=today)

    def on_change(self, _key: str) -> None:
        self.mark_edited()

    def on_save(self) -> None:
        from tama_desk.ui import feedback

        if self.form.check():
            return
        try:
            with self.db.transaction() as session:
                result = self.save(session)
        except (UserError, ValueError) as error:
            feedback.show_error(self, error if isinstance(error, UserError) else UserError(str(error)))
            return
        self.edited = False  # saved: closing asks nothing
        self.close()
        self.saved(result)

    def save(self, session) -> object:  # pragma: no cover - each dialog has its own
        raise NotImplementedError

    def saved(self, result: object) -> None:
        """After the commit, with what `save` returned: a message (what was saved, named) goes to the status bar."""
        from tama_desk.ui import feedback

        if isinstance(result, str) and result:
            feedback.notify(self.parent, result)
