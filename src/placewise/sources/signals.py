"""Signals of the sources app, in a module of their own so that an app above connects to them
when Django starts without importing what sends them (start-up is every command's)."""

import django.dispatch

# Sent by recovery (sources/recovery.py) once the stores and the loads are settled, with `by`,
# so that an app above the sources settles what is its own (linkage/recorded.py: a run's
# report); a receiver returns what it did, in words, or None.
settled = django.dispatch.Signal()
