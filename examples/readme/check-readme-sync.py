#!/usr/bin/env python3
"""Checks that README.md shows examples/readme/readme-example.c verbatim.

The README's C example is the ```c block that follows the line
`<!-- examples/readme/readme-example.c -->`. Speaks TAP.
Usage: check-readme-sync.py README.md readme-example.c
"""
import sys

MARKER = "<!-- examples/readme/readme-example.c -->"


def readme_block(path):
    lines = open(path, encoding="utf-8").read().split("\n")
    try:
        start = lines.index(MARKER)
    except ValueError:
        return None
    i = start + 1
    while i < len(lines) and lines[i].strip() == "":
        i += 1
    if i >= len(lines) or lines[i].strip() != "```c":
        return None
    end = lines.index("```", i + 1)
    return "\n".join(lines[i + 1:end]) + "\n"


def main():
    readme, source = sys.argv[1], sys.argv[2]
    print("1..1")
    block = readme_block(readme)
    code = open(source, encoding="utf-8").read()
    if block is None:
        print(f"not ok 1 - {readme} has no ```c block after {MARKER}")
        return 1
    if block != code:
        import difflib
        for line in difflib.unified_diff(code.splitlines(), block.splitlines(),
                                         source, readme, lineterm=""):
            print("# " + line)
        print(f"not ok 1 - the C example in {readme} differs from {source}")
        return 1
    print(f"ok 1 - {readme} shows {source} verbatim")
    return 0


if __name__ == "__main__":
    sys.exit(main())
