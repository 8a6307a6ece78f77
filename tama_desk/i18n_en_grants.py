"""English translations of the grant screens and reports (merged into i18n_en.ENGLISH)."""

ENGLISH_GRANTS: dict[str, str] = {}
