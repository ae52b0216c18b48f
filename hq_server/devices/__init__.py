"""Tills as devices: one-time enrolment codes, device tokens, revocation."""
