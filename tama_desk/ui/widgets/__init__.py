"""The widgets every view and dialog is built from: DataTable, Form, ChoiceBox, Dialog, ScrollFrame, SearchBox.

`from tama_desk.ui.widgets import DataTable, Column, Form, ChoiceBox, Dialog` — see each module's docstring.
"""

from tama_desk.ui.widgets.choice import ChoiceBox
from tama_desk.ui.widgets.dialog import Dialog
from tama_desk.ui.widgets.form import Form
from tama_desk.ui.widgets.scroll import ScrollFrame
from tama_desk.ui.widgets.search import SEARCH_DELAY_MS, SearchBox
from tama_desk.ui.widgets.table import Column, DataTable

__all__ = ["SEARCH_DELAY_MS", "ChoiceBox", "Column", "DataTable", "Dialog", "Form", "ScrollFrame", "SearchBox"]
