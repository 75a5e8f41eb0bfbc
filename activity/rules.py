"""Who reads the activity log: a group's chairs its part, organizers all of it."""

import rules

from roles.rules import can_manage_group, is_organizer

rules.add_perm("activity.view_group_activity", can_manage_group)
rules.add_perm("activity.view_all_activity", is_organizer)
