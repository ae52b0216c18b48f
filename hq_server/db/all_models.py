"""Every table HQ maps, for checks that compare the models with the migrated schema.

Packages keep their own tables next to their code; this imports them all onto `Base.metadata`.
"""

from hq_server.batches import models as _batches  # noqa: F401
from hq_server.catalog import models as _pricing  # noqa: F401
from hq_server.catalogue_admin import models as _catalogue  # noqa: F401
from hq_server.customers import models as _customers  # noqa: F401
from hq_server.db.models import Base
from hq_server.gift_cards import models as _gift_cards  # noqa: F401
from hq_server.inventory import models as _inventory  # noqa: F401
from hq_server.purchasing import models as _purchasing  # noqa: F401

__all__ = ["Base"]
