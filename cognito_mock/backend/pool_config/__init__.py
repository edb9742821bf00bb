"""Layer 2: user pools, app clients and their settings."""
