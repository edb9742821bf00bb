"""Layer 0 (with crypto): state records, the registry and shared primitives; no handlers of sign-in."""
