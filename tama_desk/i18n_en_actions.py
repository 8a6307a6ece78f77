"""English for the messages that say what an action did (status bar and toasts), issue #8."""

ENGLISH_ACTIONS = {
    "{what}を書き出しました: {path}": "{what} written: {path}",
}
