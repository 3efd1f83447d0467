"""Generate the README's CLI reference from the commands themselves.

    python scripts/cli_reference.py          # rewrite the section between the markers in README.md
    python scripts/cli_reference.py --check  # exit 1 if README.md is out of date (tests/test_docs.py)
"""
from __future__ import annotations

import sys
from pathlib import Path

import typer

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from accords.cli import app  # noqa: E402

README = ROOT / "README.md"
BEGIN, END = "<!-- cli-reference:begin -->", "<!-- cli-reference:end -->"


def _param_line(p) -> str:
    if p.param_type_name == "argument":
        return ""
    names = ", ".join(f"`{o}`" for o in p.opts + p.secondary_opts)
    help_ = (getattr(p, "help", None) or "").strip().replace("\n", " ")
    extra = []
    if p.default not in (None, False, (), []) and not callable(p.default) and not getattr(p, "is_flag", False):
        default = p.default.value if hasattr(p.default, "value") else p.default
        extra.append(f"default {default}")
    if getattr(p, "envvar", None):
        extra.append(f"env {p.envvar}")
    tail = f" ({'; '.join(extra)})" if extra else ""
    return f"- {names}: {help_}{tail}"


def _usage(name: str, cmd) -> str:
    args = " ".join(
        (p.name.upper() + ("..." if p.nargs == -1 else "")) if p.required else f"[{p.name.upper()}{'...' if p.nargs == -1 else ''}]"
        for p in cmd.params if p.param_type_name == "argument")
    return f"accords {name} {args} [OPTIONS]".replace("  ", " ")


def _walk(group, prefix: str = ""):
    # typer vendors its own click: duck-type groups rather than isinstance against click's classes.
    for name in group.list_commands(None):
        cmd = group.get_command(None, name)
        full = f"{prefix}{name}"
        if hasattr(cmd, "list_commands"):
            yield from _walk(cmd, full + " ")
        else:
            yield full, cmd


def reference() -> str:
    root = typer.main.get_command(app)
    lines = [BEGIN, "", "Generated from the commands by `python scripts/cli_reference.py`; "
             "`tests/test_docs.py` fails when it is out of date.", ""]
    for name, cmd in _walk(root):
        lines.append(f"#### `accords {name}`")
        lines.append("")
        lines.append((cmd.help or "").strip().split("\n\n")[0].replace("\n", " "))
        lines.append("")
        lines.append(f"    {_usage(name, cmd)}")
        lines.append("")
        opts = [line for line in (_param_line(p) for p in cmd.params) if line and "--help" not in line]
        lines.extend(opts)
        lines.append("")
    lines.append(END)
    return "\n".join(lines)


def main() -> int:
    text = README.read_text(encoding="utf-8")
    if BEGIN not in text or END not in text:
        print(f"{README}: markers {BEGIN} / {END} missing", file=sys.stderr)
        return 1
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    new = head + reference() + tail
    if "--check" in sys.argv:
        if new != text:
            print("README.md CLI reference is out of date: run `python scripts/cli_reference.py`", file=sys.stderr)
            return 1
        return 0
    README.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
