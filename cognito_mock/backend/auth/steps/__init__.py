"""Sign-in steps run between the first factor and the tokens."""
