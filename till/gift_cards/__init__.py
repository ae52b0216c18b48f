"""Gift cards and store credit at the till: sell (load) a card, pay with one, refund onto one."""

from .service import GiftCardError, GiftCardService, StoreCredit, UnknownCard

__all__ = ["GiftCardError", "GiftCardService", "StoreCredit", "UnknownCard"]
