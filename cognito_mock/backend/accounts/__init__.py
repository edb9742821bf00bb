"""Layer 5: self-service by ClientId or AccessToken: sign-up, recovery, profile."""
