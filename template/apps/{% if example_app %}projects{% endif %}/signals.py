"""Domain events of the projects app, sent by the services once the change is committed.

Other code reacts to them without the services knowing it exists (broadcasts,
notifications, cache invalidation): put the receivers in a `receivers.py` module of any
installed app; apps.core imports those modules at start-up.
"""

from django.dispatch import Signal

# action="created" | "updated" | "deleted", project_id, task_id, task (None once deleted).
task_changed = Signal()
# project_id, user_id: the user is no longer a member of the project.
member_removed = Signal()
# project_id: the project was (soft) deleted.
project_deleted = Signal()
