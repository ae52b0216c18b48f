"""The demo till users both seeds create, for every store (store_id null).

| name | role       | PIN  | badge    | max discount without override |
|------|------------|------|----------|-------------------------------|
| Ana  | cashier    | 1111 | —        | 0 %                           |
| Sam  | supervisor | 9999 | SAM-0001 | 10 %                          |
| Mia  | manager    | 4321 | —        | 100 %                         |

Demo PINs only: never seed these into a real chain.
"""

from __future__ import annotations

import functools

from hq_server.till_users.service import hash_pin

# (name, role, pin, badge, max_discount_bp)
DEMO_TILL_USERS = [
    ("Ana", "cashier", "1111", None, 0),
    ("Sam", "supervisor", "9999", "SAM-0001", 1000),
    ("Mia", "manager", "4321", None, 10000),
]

# argon2id is slow on purpose (~0.1 s); seeding many test databases in one process reuses one
# salted hash per PIN instead of paying that for every database.
demo_pin_hash = functools.cache(hash_pin)
