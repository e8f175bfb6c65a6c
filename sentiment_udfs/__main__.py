"""``python -m sentiment_udfs score`` (see ``sentiment_udfs.cli``)."""

from sentiment_udfs.cli import main

raise SystemExit(main())
