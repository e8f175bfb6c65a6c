"""The warehouse resource: warehouse.duckdb and the folders beside it."""


from collections.abc import Iterator
from contextlib import contextmanager

import dagster as dg
import duckdb

from dagster_project.lib.settings import WarehousePaths, warehouse_paths
from dagster_project.lib.warehouse_schema import ensure_schema


class WarehouseResource(dg.ConfigurableResource):
    """Located by WAREHOUSE_DIR when a run uses it, so nothing touches the disk at import."""

    @property
    def paths(self) -> WarehousePaths:
        return warehouse_paths()

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A short-lived writing connection; DuckDB allows one writer, so never hold it long."""
        paths = self.paths
        paths.root.mkdir(parents=True, exist_ok=True)
        conn = duckdb.connect(str(paths.warehouse_db))
        try:
            ensure_schema(conn)
            yield conn
        finally:
            conn.close()


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(resources={"warehouse": WarehouseResource()})
