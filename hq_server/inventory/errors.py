"""Refusals in words, with the HTTP status the API answers them with."""

from __future__ import annotations


class InventoryError(Exception):
    status = 400


class NotFound(InventoryError):
    status = 404


class Forbidden(InventoryError):
    status = 403


class Conflict(InventoryError):
    status = 409


class Invalid(InventoryError):
    status = 422
