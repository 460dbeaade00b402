"""The room plan: the import contracts of pyproject.toml (`[tool.importlinter]`) are kept, and no
module of backend/ or storefront/ imports, however indirectly, a module that imports it back.

import-linter's own `acyclic_siblings` contract forbids cycles between packages, which a domain
package may have (discount reads checkouts, checkouts apply discounts); a cycle between modules is
what makes an import order matter, so that is what this test forbids. Imports inside functions
count too: hiding an import there does not break a cycle.
"""

import subprocess
import sys
from pathlib import Path

import grimp

REPO_ROOT = Path(__file__).resolve().parents[1]
ROOT_PACKAGES = ("backend", "storefront")


def test_import_contracts_are_kept():
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run(
        [str(lint_imports), "--no-cache"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def strongly_connected_modules(graph) -> list[list[str]]:
    """The groups of modules that import each other in a cycle (Tarjan's algorithm, without
    recursion: the graph is deeper than Python's default stack allows)."""
    index: dict[str, int] = {}
    lowlink: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups = []

    def imports_of(module):
        return iter(sorted(graph.find_modules_directly_imported_by(module)))

    for start in sorted(graph.modules):
        if start in index:
            continue
        work = [(start, imports_of(start))]
        index[start] = lowlink[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            module, imported = work[-1]
            for other in imported:
                if other not in index:
                    index[other] = lowlink[other] = len(index)
                    stack.append(other)
                    on_stack.add(other)
                    work.append((other, imports_of(other)))
                    break
                if other in on_stack:
                    lowlink[module] = min(lowlink[module], index[other])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    lowlink[parent] = min(lowlink[parent], lowlink[module])
                if lowlink[module] == index[module]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == module:
                            break
                    if len(group) > 1:
                        groups.append(sorted(group))
    return groups


def _describe(graph, group: list[str]) -> str:
    members = set(group)
    lines = [f"Import cycle between {', '.join(group)}:"]
    for importer in group:
        for imported in sorted(graph.find_modules_directly_imported_by(importer) & members):
            for detail in graph.get_import_details(importer=importer, imported=imported):
                lines.append(
                    f"  {importer} -> {imported} (l.{detail['line_number']}: "
                    f"{detail['line_contents']})"
                )
    return "\n".join(lines)


def test_no_import_cycles_between_modules():
    graph = grimp.build_graph(*ROOT_PACKAGES, cache_dir=None)
    cycles = strongly_connected_modules(graph)
    assert not cycles, "\n\n".join(_describe(graph, group) for group in cycles)


def test_the_cycle_finder_finds_a_cycle():
    graph = grimp.ImportGraph()
    for module in ("shop.a", "shop.b", "shop.c", "shop.d"):
        graph.add_module(module)
    graph.add_import(importer="shop.a", imported="shop.b")
    graph.add_import(importer="shop.b", imported="shop.c")
    graph.add_import(importer="shop.c", imported="shop.a")
    graph.add_import(importer="shop.c", imported="shop.d")
    assert strongly_connected_modules(graph) == [["shop.a", "shop.b", "shop.c"]]
