"""Managed login: the pages and the authorization server of a user pool domain (above `auth`)."""
