"""The indicator methods' documentation, written from the registry so that it cannot drift from
the code: docs/indicator-methods.md (every method and setting) and the list of methods at the
head of library.toml. tests/unit/indicators/test_indicator_methods.py fails when either is out of date.

    .venv/bin/python -m placewise.indicators.method_documentation   # rewrite both
"""

import sys
import textwrap
from pathlib import Path

from placewise.indicators.library import BUILT_IN, DESCRIPTIVE, OPTIONAL
from placewise.indicators.methods import REGISTRY, Method

REFERENCE = Path(__file__).resolve().parents[3] / "docs" / "indicator-methods.md"
COMMAND = "python -m placewise.indicators.method_documentation"
BEGIN = f"# --- Methods (written from indicators/methods/ by `{COMMAND}`) ---"
END = "# --- end of methods ---"


def _example(method: Method) -> str:
    return method.shown(0.8512 if method.is_proportion else 1234.5678)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def markdown() -> str:
    """docs/indicator-methods.md."""
    lines = [
        "# Indicator methods",
        "",
        f"Written from the registry (`src/placewise/indicators/methods/`) by `{COMMAND}`;",
        "a test fails when this page is out of date. Do not edit it by hand.",
        "",
        "An indicator is a table in `library.toml` (or in a place's own file,",
        "`PLACEWISE_INDICATORS_FILE`) that names one `method` and gives that method's settings,",
        f"besides {', '.join(f'`{k}`' for k in DESCRIPTIVE)} and, if wanted,",
        f"{', '.join(f'`{k}`' for k in OPTIONAL)}. A setting the method does not declare is",
        "refused, naming it. Each value is the numerator over the denominator, per month, for",
        "the place and each team.",
        "",
    ]
    for method in REGISTRY.values():
        kind = "a proportion" if method.is_proportion else "not a proportion"
        population = " It needs the place's population file." if method.needs_population else ""
        lines += [
            f"## `{method.name}`",
            "",
            *textwrap.wrap(method.summary, 99),
            "",
            f"The value is {kind}, shown like {_example(method)}.{population}",
            "",
            "| Setting | Required | Value | Default | What it says |",
            "|---|---|---|---|---|",
        ]
        for s in method.settings:
            value = " or ".join(f'"{c}"' for c in s.choices) if s.choices else s.type.value
            lines.append(
                f"| `{s.name}` | {'yes' if s.required else 'no'} | {_cell(value)} "
                f"| {_cell(s.default)} | {_cell(s.doc)} |"
            )
        lines.append("")
    return "\n".join(lines)


def toml_block() -> str:
    """The list of methods at the head of library.toml, between its markers."""
    lines = [BEGIN, "# Every setting of each: docs/indicator-methods.md."]
    for method in REGISTRY.values():
        wrapped = textwrap.wrap(
            method.summary,
            width=99,
            initial_indent=f"#   {method.name:<20} ",
            subsequent_indent="#" + " " * 24,
        )
        lines += wrapped
    lines.append(END)
    return "\n".join(lines)


def with_toml_block(text: str) -> str:
    """library.toml's text with its methods block written afresh."""
    start, end = text.index(BEGIN), text.index(END) + len(END)
    return text[:start] + toml_block() + text[end:]


def main() -> int:
    REFERENCE.write_text(markdown(), encoding="utf-8")
    library = BUILT_IN.read_text(encoding="utf-8")
    BUILT_IN.write_text(with_toml_block(library), encoding="utf-8")
    print(f"wrote {REFERENCE} and the methods in {BUILT_IN.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
