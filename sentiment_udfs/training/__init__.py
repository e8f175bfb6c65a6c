"""Offline training of the small emotion model; run by hand, never at scoring time."""
