"""Reusable Qt widgets that know nothing of the hall console (no views/, console/ or backend/)."""
