"""Returns: find the sale by receipt number, refund what is still refundable. No Qt."""

from .service import ReturnDraft, ReturnLineDraft, ReturnRefused, ReturnService

__all__ = ["ReturnDraft", "ReturnLineDraft", "ReturnRefused", "ReturnService"]
