"""Who may do what with working groups; built on the predicates of ``roles.rules``."""

import rules

from roles.rules import can_manage_group, is_organizer

rules.add_perm("working_groups.create_group", is_organizer)
rules.add_perm("working_groups.manage_group", can_manage_group)
rules.add_perm("working_groups.edit_group", can_manage_group)
rules.add_perm("working_groups.post_progress_update", can_manage_group)
