"""Subscriptions: the live event stream (SSE) and signed webhooks, both fed by
JetStream; oversight credentials are recognised from a local credential copy."""
