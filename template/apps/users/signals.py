"""Domain events of the users app.

Sent inside the transaction that makes the change: receivers remove what depended on it in
the same transaction (an exception rolls the change back), and register what must wait for
the commit with apps.core.side_effects.
"""

from django.dispatch import Signal

# user: the account was deactivated (is_active=False); its access ends everywhere.
user_deactivated = Signal()
# user: their name changed (apps.users.services.update_profile); `user` holds the new one.
profile_updated = Signal()
