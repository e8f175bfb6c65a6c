"""Deterministic demo CRM exports for every entity of the canonical contract.

`generate_demo_data(out_dir, ...)` writes one file per entity into an inbox folder;
`sample_texts(n, seed)` returns texts from the same generator (for scorer benchmarks).
Nothing here does I/O at import.
"""

from dagster_project.lib.demo_data.generate import DEFAULT_END_DATE, generate_demo_data
from dagster_project.lib.demo_data.text import sample_texts

__all__ = ["DEFAULT_END_DATE", "generate_demo_data", "sample_texts"]
