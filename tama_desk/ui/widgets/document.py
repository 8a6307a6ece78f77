"""DocumentButtons: PDFを開く / 保存… / 印刷 for one document (an invoice, a receipt, a report).

    DocumentButtons(bar, name=lambda: "20260401_株式会社サンプル_70000.pdf", render=lambda: pdf_bytes)

保存… asks where (the standard file name offered) and shows the path in the status bar; 印刷 uses the PC's PDF
program (Windows: the print verb); PDFを開く opens a temporary copy.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from tkinter import filedialog

import ttkbootstrap as ttk

from tama_desk.errors import UserError
from tama_desk.fileio import write_atomic
from tama_desk.i18n import t
from tama_desk.ui import desktop


class DocumentButtons(ttk.Frame):
    def __init__(self, parent, name: Callable[[], str], render: Callable[[], bytes], *, label: str = "PDFを開く"):
        super().__init__(parent)
        self.name, self.render = name, render
        self.last_saved: Path | None = None
        self.open_button = ttk.Button(self, text=t(label), bootstyle="primary-outline", command=self.on_open)
        self.open_button.pack(side="left")
        self.save_button = ttk.Button(self, text=t("保存…"), bootstyle="secondary-outline", command=self.on_save)
        self.save_button.pack(side="left", padx=(6, 0))
        self.print_button = ttk.Button(self, text=t("印刷"), bootstyle="secondary-outline", command=self.on_print)
        self.print_button.pack(side="left", padx=(6, 0))
        self.path_label = ttk.Label(self, bootstyle="secondary", wraplength=420, justify="left")
        self.path_label.pack(side="left", padx=(10, 0))

    def _bytes(self) -> bytes | None:
        from tama_desk.ui import feedback

        try:
            return self.render()
        except UserError as error:
            feedback.show_error(self, error)
            return None

    def temporary(self) -> Path | None:
        data = self._bytes()
        if data is None:
            return None
        path = Path(tempfile.mkdtemp(prefix="tama_desk_")) / self.name()
        path.write_bytes(data)
        return path

    def on_open(self) -> None:
        path = self.temporary()
        if path:
            desktop.open_file(path)

    def on_print(self) -> None:
        from tama_desk.ui import feedback

        path = self.temporary()
        if path:
            desktop.print_file(path)
            feedback.notify(self, t("印刷に送りました: {name}", name=path.name))

    def on_save(self) -> None:
        chosen = filedialog.asksaveasfilename(parent=self, title=t("PDFを保存"), initialfile=self.name(),
                                              defaultextension=".pdf", filetypes=[("PDF", "*.pdf")])
        if chosen:
            self.save_to(Path(chosen))

    def save_to(self, path: Path) -> Path | None:
        from tama_desk.ui import feedback

        data = self._bytes()
        if data is None:
            return None
        write_atomic(path, data)
        self.last_saved = path
        self.path_label.configure(text=t("保存しました: {path}", path=path))
        feedback.notify(self, t("保存しました: {path}", path=path))
        return path
