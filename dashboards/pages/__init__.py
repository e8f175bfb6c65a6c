"""Dash Pages: one module per page, layout plus thin callbacks."""
