"""Layer 4: issuing, checking, refreshing and revoking tokens; OAuth2 token endpoints."""
