"""Use-cases. Each takes a session and an actor, flushes, and never commits: the route or
CLI command that calls it owns the unit of work."""
