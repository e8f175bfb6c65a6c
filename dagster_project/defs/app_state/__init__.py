"""The dashboard's app-state database, read as a source."""
