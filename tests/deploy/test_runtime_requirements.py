"""What the portal imports when it serves is installed by requirements.txt alone (`make run` installs
nothing else): a package only the tests install (requirements-dev.txt) fails a fresh clone's start-up."""

import ast
import re
import sys
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOT_SERVED = {"tests", "bench", ".venv", "var", "node_modules"}


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_names(path: Path) -> set[str]:
    names = set()
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            names.add(_normal(re.split(r"[=<>!~\[; ]", line, maxsplit=1)[0]))
    return names


def _with_dependencies(names: set[str]) -> set[str]:
    """The requirements and everything they install in turn (extras aside)."""
    seen, todo = set(), list(names)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        todo.extend(_normal(re.split(r"[=<>!~\[; (]", r, maxsplit=1)[0]) for r in requires if "extra ==" not in r)
    return seen


def _served_modules():
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if parts[0] in NOT_SERVED or parts[0].startswith("."):
            continue
        yield path


def _top_level_imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_every_package_the_served_code_imports_is_in_requirements_txt():
    installed = _with_dependencies(_requirement_names(ROOT / "requirements.txt"))
    own = {p.name for p in ROOT.iterdir() if (p / "__init__.py").exists() or p.suffix == ".py"} | {"manage"}
    distributions = metadata.packages_distributions()
    missing = {}
    for path in _served_modules():
        for module in _top_level_imports(path):
            if module in sys.stdlib_module_names or module in own or module == "__future__":
                continue
            owners = {_normal(d) for d in distributions.get(module, [module])}
            if not owners & installed:
                missing.setdefault(module, []).append(str(path.relative_to(ROOT)))
    assert missing == {}, "imported by served code but installed only for the tests (move to requirements.txt)"
