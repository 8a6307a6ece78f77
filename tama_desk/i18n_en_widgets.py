"""English for the shared widgets and the dialogs moved onto them (Japanese is the source text)."""

ENGLISH_WIDGETS: dict[str, str] = {
    "理由を入力してください": "Please enter a reason",
    "{label} {amount}円": "{label} ¥{amount}",
    "変更を破棄しますか？": "Discard your changes?",
    "破棄する": "Discard",
}
