"""Who may act through the API: a verified e-mail address, as on the pages."""

import rules

from roles.rules import is_verified

rules.add_perm("accounts.write_through_api", is_verified)
