#!/usr/bin/python3
"""`make check`: every #include in the tree runs the right way between layers.

The rules are the table under "## Include rules" in docs/ARCHITECTURE.md
(read from there, so the document and the check cannot drift). Each row
names a folder or a file (the longest matching row governs a file), the
folders or headers it may include, and those it may never include even
though an allowed folder holds them. On top of the table:

- a file may always include headers of its own folder (not of its
  subfolders: a file directly in net/ does not thereby reach net/core/);
- `internal.h` and `*_internal.h` are private to their folder: only a row
  that names such a header explicitly may include it from outside;
- system headers (`<...>`) resolve to libc/include when keel's libc has
  them (as `-Ilibc/include` does), except in boot/ (built against
  gnu-efi); headers neither in the repository nor in libc are the
  compiler's or gnu-efi's and are not part of the graph.

Usage: layers.py [ROOT]   (ROOT: the tree to check, default this repository)
Prints `file:line: <rule broken>` for every wrong-way include and exits 1.
"""
import re
import sys
from pathlib import Path

SCANNED = ["kernel", "net", "drivers", "libc", "apps", "boot"]
SUFFIXES = {".c", ".h", ".S", ".asm", ".inc"}
RULES_DOC = "docs/ARCHITECTURE.md"
RULES_HEADING = "## Include rules"
INCLUDE = re.compile(r'^\s*(?:#\s*include|%include)\s*([<"])([^">]+)[">]')
TOKEN = re.compile(r"`([^`]+)`")


class Rule:
    def __init__(self, key, allowed, never, line):
        self.key, self.allowed, self.never, self.line = key, allowed, never, line


def under(path, prefix):
    """Whether path is prefix itself or lies beneath it (by components)."""
    return path == prefix or path.startswith(prefix.rstrip("/") + "/")


def read_rules(root):
    """The include-rule table of docs/ARCHITECTURE.md, as {key: Rule}."""
    lines = (root / RULES_DOC).read_text().splitlines()
    try:
        start = next(i for i, line in enumerate(lines) if line.strip() == RULES_HEADING)
    except StopIteration:
        sys.exit(f"{RULES_DOC}: no '{RULES_HEADING}' section")
    rules = {}
    for number, line in enumerate(lines[start + 1:], start + 2):
        if line.startswith("## "):
            break
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if not line.lstrip().startswith("|") or len(cells) < 3 or set(cells[0]) <= set("-: "):
            continue
        keys = TOKEN.findall(cells[0])
        if len(keys) != 1:
            continue  # the header row
        rules[keys[0].rstrip("/")] = Rule(keys[0].rstrip("/"), TOKEN.findall(cells[1]),
                                          TOKEN.findall(cells[2]), number)
    if not rules:
        sys.exit(f"{RULES_DOC}: the '{RULES_HEADING}' table has no rows")
    return rules


def rule_for(rules, path):
    matches = [key for key in rules if under(path, key)]
    return rules[max(matches, key=len)] if matches else None


def resolve(root, including, bracket, name):
    """Repository-relative path of an included header, or None when it is
    not in the graph (compiler or gnu-efi headers)."""
    top = name.split("/", 1)[0]
    if bracket == '"':
        local = (root / including).parent / name
        if local.is_file():
            return local.resolve().relative_to(root.resolve()).as_posix()
    if top in SCANNED or top == "tests":
        return name
    if bracket == '"':
        return name  # -I. : a quoted name is repository-relative even if absent
    if not under(including, "boot") and (root / "libc/include" / name).is_file():
        return "libc/include/" + name
    return None


def is_internal(header):
    base = header.rsplit("/", 1)[-1]
    return base == "internal.h" or base.endswith("_internal.h")


def check_edge(rules, path, header):
    """The rule an include of header from path breaks, or None."""
    folder = path.rsplit("/", 1)[0]
    rule = rule_for(rules, path)
    if rule is None:
        return f"no row of the include-rule table ({RULES_DOC}) covers {folder}/"
    named = lambda items: [item for item in items if under(header, item)]
    if named(rule.never):
        return f"{rule.key} may never include {header} (rule: {RULES_DOC}:{rule.line})"
    if header.rsplit("/", 1)[0] == folder:
        return None  # its own folder
    if is_internal(header) and header not in rule.allowed:
        return f"{header} is private to {header.rsplit('/', 1)[0]}/ (rule: {RULES_DOC}:{rule.line})"
    if not named(rule.allowed):
        allowed = ", ".join(rule.allowed) or "nothing"
        return f"{rule.key} may not include {header} (it may include: {allowed}; rule: {RULES_DOC}:{rule.line})"
    return None


def source_files(root):
    for top in SCANNED:
        for path in sorted((root / top).rglob("*")):
            if path.suffix in SUFFIXES and path.is_file():
                yield path.relative_to(root).as_posix()


def check(root):
    rules = read_rules(root)
    problems = []
    for path in source_files(root):
        for number, line in enumerate((root / path).read_text(errors="replace").splitlines(), 1):
            match = INCLUDE.match(line)
            if not match:
                continue
            header = resolve(root, path, match.group(1), match.group(2))
            broken = header and check_edge(rules, path, header)
            if broken:
                problems.append(f"{path}:{number}: {broken}")
    return problems


def main():
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2]
    problems = check(root)
    for problem in problems:
        print(problem)
    if problems:
        print(f"layers: {len(problems)} include(s) run the wrong way")
        return 1
    print(f"layers: every include follows {RULES_DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
