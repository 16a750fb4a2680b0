"""The read replica's database engine (settings.py uses it for a PostgreSQL
DATABASE_REPLICA_URL): Django's PostgreSQL backend, telling the router when a connection to
the replica fails, so readers' pages read the primary until it may be tried again
(core/routers.py)."""

from django.db.backends.postgresql import base

from core import routers


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        try:
            return super().get_new_connection(conn_params)
        except Exception:
            routers.replica_unreachable()
            raise
