"""Domain state and the handlers of every operation, split by concern."""
