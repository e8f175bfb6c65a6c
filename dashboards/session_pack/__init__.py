"""The printable session pack: one HTML document (``document``), printed to PDF by headless
Chromium (``pdf``), served behind the login by ``routes``."""
