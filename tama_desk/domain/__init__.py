"""Pure rules over plain values: no database, no window."""
