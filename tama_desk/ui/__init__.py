"""The window. Views call services; nothing here holds business rules."""
