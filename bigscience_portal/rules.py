"""Portal-wide permissions that belong to no one app."""

import rules

from roles.rules import is_organizer

# The link to the admin in the account menu (what the admin itself allows is the admin's business).
rules.add_perm("bigscience_portal.open_admin", is_organizer)
