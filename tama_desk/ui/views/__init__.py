"""One view per area; each builds in create_* methods and reacts in on_* methods."""
