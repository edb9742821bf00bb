"""Point-in-time recovery: the pool's change history and the recoveries that read it."""
