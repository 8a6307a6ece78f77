"""`python -m tama_desk` / TamaDesk.exe without a command opens the window without building the CLI parser;
every other argument list is the CLI's."""

from __future__ import annotations

from tama_desk import app, cli


def test_the_window_starts_without_the_cli_and_commands_go_to_it(monkeypatch):
    opened, commands = [], []
    monkeypatch.setattr(app, "run_app", lambda target=None: opened.append(target) or 0)
    monkeypatch.setattr(cli, "main", lambda argv=None: commands.append(argv) or 0)
    monkeypatch.setattr(cli, "build_parser", lambda: (_ for _ in ()).throw(AssertionError("parser built")))
    for argv in ([], ["gui"], ["--db", "x.sqlite3"], ["gui", "--db", "x.sqlite3"]):
        assert app.main(argv) == 0
    assert opened == [None, None, "x.sqlite3", "x.sqlite3"] and commands == []
    for argv in (["init", "--db", "x.sqlite3"], ["--lang", "en"], ["--version"]):
        assert app.main(argv) == 0
    assert commands == [["init", "--db", "x.sqlite3"], ["--lang", "en"], ["--version"]]
