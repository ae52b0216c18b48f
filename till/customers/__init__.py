"""Customers and loyalty at the till (merge rule 8): search, create, attach to a sale, points."""

from .loyalty import earn_for_sale, points_earned, settle_return_points
from .service import Customer, CustomerError, CustomerService

__all__ = ["Customer", "CustomerError", "CustomerService", "earn_for_sale", "points_earned",
           "settle_return_points"]
