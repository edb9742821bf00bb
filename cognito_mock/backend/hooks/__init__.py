"""Layer 1: Lambda triggers and the messages (email, SMS) the service sends."""
