"""The package's shape: no two modules import each other (issue 13, item 4)."""

from __future__ import annotations

import ast
from pathlib import Path

import quota_opt

ROOT = Path(quota_opt.__file__).resolve().parent


def _import_graph() -> dict[str, set[str]]:
    """Module -> the quota_opt modules it imports (anywhere in its body, lazy imports included)."""
    modules = {}
    for path in ROOT.rglob("*.py"):
        parts = ["quota_opt", *path.relative_to(ROOT).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(parts)] = path
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        deps: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = package
                for _ in range(max(node.level - 1, 0)):
                    base = base.rsplit(".", 1)[0]
                target = (base + (f".{node.module}" if node.module else "")) if node.level else (node.module or "")
                for alias in node.names:
                    deps.add(f"{target}.{alias.name}" if f"{target}.{alias.name}" in modules else target)
            elif isinstance(node, ast.Import):
                deps.update(alias.name for alias in node.names)
        graph[name] = {d for d in deps if d in modules and d != name}
    return graph


def test_no_two_modules_import_each_other():
    graph = _import_graph()
    # the package root re-exports the public API; a module reading __version__ from it is not a cycle of stages
    mutual = sorted((a, b) for a in graph for b in graph[a]
                    if a < b and a in graph.get(b, ()) and "quota_opt" not in (a, b))
    assert mutual == []


def test_the_conflict_finder_does_not_import_the_model_that_uses_it():
    graph = _import_graph()
    assert "quota_opt.optimise.explain" in graph["quota_opt.optimise.model"]
    assert not graph["quota_opt.optimise.explain"] & {"quota_opt.optimise", "quota_opt.optimise.model"}
    assert graph["quota_opt.explain"] == {"quota_opt.optimise.explain"}


def test_every_public_name_of_the_optimise_stage_is_importable_from_where_it_was():
    from quota_opt import optimise as stage

    for name in ("FAMILIES", "FIXING_FAMILIES", "Rule", "SOLVERS", "SCALE", "DEFAULT_TIME_LIMIT", "Selection",
                 "SelectionBatch", "SelectionModel", "SelectionProblem", "SolverSpec", "build_problem",
                 "build_pulp_model", "check_named_projects", "group_keys", "make_solver", "optimise", "priority_order"):
        assert hasattr(stage, name), name
    from quota_opt.explain import ExplanationLine, explain_infeasible  # noqa: F401
