"""URL-table rows and world objects of the newer features, one module per feature.

Each module here may define ``ROWS`` (a list of ``url_table.Row``, each with its own ``kwargs``),
``WRITES`` (a list of ``write_table.WriteRow``: every POST, PUT, PATCH or DELETE its URLs accept,
with the answer of each kind of person and the tables changed by those allowed; the guard
``test_every_write_accepting_pattern_has_a_write_row`` fails for a URL that accepts a write method
without one) and ``build(world)``, which adds the objects its URLs need to ``world.objects``. Keeping them
apart lets each feature own its rows instead of every change editing one long list.
"""

import importlib
import pkgutil


def _modules():
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name):
        yield importlib.import_module(f"{__name__}.{info.name}")


def rows() -> list:
    return [row for module in _modules() for row in getattr(module, "ROWS", [])]


def builders() -> list:
    return [module.build for module in _modules() if hasattr(module, "build")]


def writes() -> list:
    return [row for module in _modules() for row in getattr(module, "WRITES", [])]
