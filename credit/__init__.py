"""Credit for the workshop's work: outputs (papers, datasets, models, software), their contributors
in order with CRediT roles, affiliations and ORCID iDs that each contributor confirms, and the
author-list exports papers need.

An app of its own rather than a part of ``working_groups``: an output belongs to several groups
at once, outlives the groups' membership (credit is kept after people leave), and its exports,
confirmations and public credit lists concern people across the whole workshop, not one group's
chair tools. It reads memberships (``roles``) and, once it exists, accepted task contributions
(``tasks``) only through their selectors.
"""
