"""Models, engine and migrations."""
