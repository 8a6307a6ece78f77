"""English translations, keyed by the Japanese source text (see i18n.py)."""

ENGLISH: dict[str, str] = {}
