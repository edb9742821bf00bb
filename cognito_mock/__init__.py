"""cognito-mock."""
