"""Till users are made at HQ (PIN as argon2id) and pulled by the tills of their store."""

import pytest
from argon2 import PasswordHasher

from hq_server.cli import main
from hq_server.till_users.service import TillUserError, create_till_user, hash_badge
from tests.integration.hq.helpers import in_transaction, query
from tests.integration.hq.test_pull import pull_all

CHANGE_KEYS = {"user_id", "store_id", "name", "role", "pin_hash", "badge_hash", "max_discount_bp", "active"}


def add_user(hq_server, **kw):  # noqa: ANN001, ANN201
    return add_user_to(hq_server.database_url, **kw)


def add_user_to(database_url: str, **kw):  # noqa: ANN201
    return in_transaction(database_url, lambda s: create_till_user(s, **kw).id)


def pulled_users(till) -> dict[str, dict]:  # noqa: ANN001
    return {c["data"]["name"]: c["data"] for c in pull_all(till, limit=500) if c["kind"] == "till_user"}


def test_the_demo_users_reach_every_till_with_pins_a_till_can_verify(hq_server, till):
    users = pulled_users(till)

    assert set(users) == {"Ana", "Sam", "Mia"}
    for name, pin, role in [("Ana", "1111", "cashier"), ("Sam", "9999", "supervisor"), ("Mia", "4321", "manager")]:
        user = users[name]
        assert set(user) == CHANGE_KEYS and user["role"] == role and user["store_id"] is None
        assert user["pin_hash"].startswith("$argon2id$") and PasswordHasher().verify(user["pin_hash"], pin)
    assert users["Sam"]["badge_hash"] == hash_badge("SAM-0001") and users["Sam"]["max_discount_bp"] == 1000


def test_a_user_of_one_store_is_pulled_only_by_that_stores_tills(hq_server, till):
    add_user(hq_server, name="Bea", role="cashier", pin="2468", store_code="S002")
    user_id = add_user(hq_server, name="Cal", role="supervisor", pin="13579", store_code="S001",
                       badge="CAL-7", max_discount_bp=500)

    users = pulled_users(till)

    assert "Bea" not in users
    assert users["Cal"] == {
        "user_id": str(user_id), "store_id": till.store_id, "name": "Cal", "role": "supervisor",
        "pin_hash": users["Cal"]["pin_hash"], "badge_hash": hash_badge("CAL-7"),
        "max_discount_bp": 500, "active": True}
    assert PasswordHasher().verify(users["Cal"]["pin_hash"], "13579")
    (stored,), = query(hq_server.database_url, "SELECT pin_hash FROM till_users WHERE name = 'Cal'")
    assert "13579" not in stored


@pytest.mark.parametrize("pin", ["123", "123456789", "12a4", "", "１２３４"])
def test_a_pin_must_be_4_to_8_digits(hq_database_url, pin):
    with pytest.raises(TillUserError, match="4 to 8 digits"):
        add_user_to(hq_database_url, name="Dee", role="cashier", pin=pin)


def test_role_store_and_discount_are_checked(hq_database_url):
    with pytest.raises(TillUserError, match="role"):
        add_user_to(hq_database_url, name="Dee", role="owner", pin="1234")
    with pytest.raises(LookupError, match="S999"):
        add_user_to(hq_database_url, name="Dee", role="cashier", pin="1234", store_code="S999")
    with pytest.raises(TillUserError, match="discount"):
        add_user_to(hq_database_url, name="Dee", role="cashier", pin="1234", max_discount_bp=10_001)
    assert query(hq_database_url, "SELECT count(*) FROM till_users") == [(0,)]


def test_the_cli_adds_a_till_user(hq_server, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", hq_server.database_url)

    code = main(["till-user", "add", "--name", "Eve", "--role", "cashier", "--pin", "1234",
                 "--store", "S001", "--max-discount-bp", "1000"])

    assert code == 0 and "Eve" in capsys.readouterr().out
    assert query(hq_server.database_url, "SELECT role, max_discount_bp FROM till_users WHERE name = 'Eve'") \
        == [("cashier", 1000)]
    assert main(["till-user", "add", "--name", "Eve", "--role", "cashier", "--pin", "12"]) == 2
    assert "4 to 8 digits" in capsys.readouterr().err
