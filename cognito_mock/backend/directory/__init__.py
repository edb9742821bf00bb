"""Layer 3: users and groups, as administrators see them."""
