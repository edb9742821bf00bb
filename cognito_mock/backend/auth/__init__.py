"""Sign-in flows, their challenges and the SRP math behind them."""
