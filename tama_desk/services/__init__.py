"""Use cases. Each takes a Session and never opens its own; the caller owns the transaction."""
