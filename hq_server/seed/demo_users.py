"""The demo till users both seeds create, for every store (store_id null).

| name | role       | PIN  | badge    | max discount without override |
|------|------------|------|----------|-------------------------------|
| Ana  | cashier    | 1111 | —        | 0 %                           |
| Sam  | supervisor | 9999 | SAM-0001 | 10 %                          |
| Mia  | manager    | 4321 | —        | 100 %                         |

Demo PINs only: never seed these into a real chain.

HQ back-office users both seeds create (sign in with POST /api/v1/auth/login):

| email                     | password       | role          | stores |
|---------------------------|----------------|---------------|--------|
| admin@example.com         | tillhq-admin   | admin         | all    |
| buyer@example.com         | tillhq-buyer   | buyer         | all    |
| manager.s001@example.com  | tillhq-manager | store_manager | S001   |

Demo passwords only: change them (or deactivate these users) on a real HQ.
"""

from __future__ import annotations

import functools

from hq_server.till_users.service import hash_pin
from hq_server.users.service import hash_password

# (name, role, pin, badge, max_discount_bp)
DEMO_TILL_USERS = [
    ("Ana", "cashier", "1111", None, 0),
    ("Sam", "supervisor", "9999", "SAM-0001", 1000),
    ("Mia", "manager", "4321", None, 10000),
]

# argon2id is slow on purpose (~0.1 s); seeding many test databases in one process reuses one
# salted hash per PIN instead of paying that for every database.
demo_pin_hash = functools.cache(hash_pin)


# (email, name, role, password, store codes)
DEMO_HQ_USERS = [
    ("admin@example.com", "HQ Admin", "admin", "tillhq-admin", ()),
    ("buyer@example.com", "Bea Buyer", "buyer", "tillhq-buyer", ()),
    ("manager.s001@example.com", "Mo Manager", "store_manager", "tillhq-manager", ("S001",)),
]

demo_password_hash = functools.cache(hash_password)
