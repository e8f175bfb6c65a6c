"""DataFrame → plotly Figure. Pure functions: no I/O, no Dash."""
