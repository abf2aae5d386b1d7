"""Signals of the stores, in a module of their own so that an app above connects to them when
Django starts without importing the stores (DuckDB: start-up is every command's)."""

import django.dispatch

# Sent by store/forget.py with `token` once the stores have let it go; receivers delete what
# they hold of it (linkage's review queue).
forgotten = django.dispatch.Signal()
