"""Layer 5: authenticators a user owns: MFA settings, software tokens, devices, passkeys."""
