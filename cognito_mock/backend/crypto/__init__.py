"""Layer 0: pure cryptographic functions (JWT, RSA keys, SRP, TOTP, HMAC); no state."""
