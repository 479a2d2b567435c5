"""Domain events of the tenants app.

Unlike the example app's events, these are sent inside the transaction that makes the change:
their receivers remove what depended on it in the same transaction (an exception rolls the
change back), and register what must wait for the commit with apps.core.side_effects.
"""

from django.dispatch import Signal

# tenant, user, successor: `user` no longer belongs to `tenant`; what they owned there goes to
# `successor` (the manager who removed them, else a remaining owner).
member_removed = Signal()
