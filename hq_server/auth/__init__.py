"""Signing in to the HQ back office: JWT access tokens, rotating refresh tokens, rate limiting,
and the FastAPI dependencies for the signed-in user, roles and store scope."""
