"""Tests of the built site in a real browser (a package, so that its package-scoped fixtures end with it)."""
