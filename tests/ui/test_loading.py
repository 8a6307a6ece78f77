"""A view's rows are read off the Tk thread when it is shown (ui.loading), and the warm-up builds views ahead."""

from __future__ import annotations

import threading

from tama_desk.services import invoices
from tama_desk.ui.views import fees as fees_view

from .conftest import loaded, pump


def blocked_reads(monkeypatch):
    """list_invoices waits for `release` in the worker; returns (release, calls)."""
    release, calls, real = threading.Event(), [], invoices.list_invoices

    def slow(session, *args, **kwargs):
        calls.append((threading.current_thread().name, args))
        if threading.current_thread() is not threading.main_thread():
            assert release.wait(20)
        return real(session, *args, **kwargs)

    monkeypatch.setattr(fees_view.invoices, "list_invoices", slow)
    return release, calls


def test_the_first_switch_shows_the_view_before_its_rows_are_read(window, monkeypatch):
    release, calls = blocked_reads(monkeypatch)
    window.show_view("fees")
    window.update()
    view = window.views["fees"]
    assert view.winfo_ismapped() and view.loader.pending and view.table.rows == []
    pump(window, lambda: calls)  # the read starts once the view is drawn (loading.DRAW_FIRST_MS)
    assert calls[0][0] != "MainThread" and view.table.rows == []  # read in a worker, not on the Tk thread
    view.search_entry.focus_set()  # the window takes input meanwhile
    window.update()
    assert window.focus_get() is view.search_entry
    release.set()
    loaded(view)
    assert view.rows and len(view.table.rows) == len(view.rows)


def test_a_search_typed_while_the_rows_are_read_wins_over_them(window, monkeypatch):
    release, _calls = blocked_reads(monkeypatch)
    window.show_view("fees")
    view = window.views["fees"]
    assert view.loader.pending
    with window.db.reading() as session:
        number = invoices.list_invoices(session, view.year, "", "")[0].number
    view.search_var.set(number)
    view.refresh()  # what the search box's debounce calls: read at once on the Tk thread
    assert [row.number for row in view.rows] == [number]
    release.set()
    pump(window, lambda: not any(thread.name == "tama-desk-work" for thread in threading.enumerate()))
    window.update()
    assert [row.number for row in view.rows] == [number]  # the older, slower read was not shown over it


def test_the_warm_up_builds_a_view_hidden_and_reads_it_once(window, monkeypatch):
    window.prepare("fees")
    view = loaded(window.views["fees"])
    assert not view.winfo_ismapped() and view.rows
    reads = []
    monkeypatch.setattr(fees_view.invoices, "list_invoices", lambda *args: reads.append(args) or [])
    window.show_view("fees")
    window.update()
    assert view.winfo_ismapped() and not view.loader.pending and reads == []  # shown as read, not read again
    assert len(view.table.rows) == len(view.rows)


def test_a_view_shown_again_after_a_change_reads_in_the_background(window):
    window.show_view("fees")
    view = loaded(window.views["fees"])
    window.show_view("members")
    with window.db.transaction():
        pass  # any commit of this process: the lists may have changed
    window.show_view("fees")
    assert view.loader.pending
    loaded(view)
    assert view.rows
