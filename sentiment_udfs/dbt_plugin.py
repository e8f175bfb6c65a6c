"""dbt-duckdb plugin: every dbt connection gets the scoring SQL functions.

profiles.yml:  plugins: [{module: sentiment_udfs.dbt_plugin}]
"""

from dbt.adapters.duckdb.plugins import BasePlugin

from sentiment_udfs.duckdb import register


class Plugin(BasePlugin):  # dbt-duckdb looks the class up by this exact name
    def configure_connection(self, conn):
        register(conn)
