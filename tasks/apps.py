from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    """Guided tasks of the working groups: claims, contributions, review, tokens for the groups' tools.

    An app of its own rather than a part of ``working_groups``: a task has its own lifecycle (draft,
    open, paused, closed), its own people (claimants, named reviewers), its own review of contributions,
    a beat job, a public board and an API with group-scoped tokens. None of that changes how a group
    or its membership works, and ``working_groups`` would double in size to hold it.
    """

    name = "tasks"
    verbose_name = _("Guided tasks")
