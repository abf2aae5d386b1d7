"""Making Data Count's variation and assurance icons, drawn in placewise's own style.

NHS England's icons are theirs; these are ours, and follow the charts' own marks so one reading
carries across: a circle for common cause, a diamond for improvement, a square for concern,
coloured as the chart's points are and outlined in black so the shape holds its contrast (WCAG
1.4.11) whatever the colour. An arrow and H or L say whether the signal is high or low. The
assurance icons are a rounded square over a dashed target line, with P (passing), F (failing)
or ? (hit and miss). Every icon has its meaning as its text alternative and its tooltip.

Which icon a series gets is `indicators.spc.icons`.
"""

from django.utils.html import format_html
from django.utils.safestring import SafeString

INK, GREY, IMPROVEMENT, CONCERN = "#0b0c0c", "#b1b4b6", "#28a197", "#f47738"

MEANINGS = {
    "common cause": "Common cause variation: no signal, the process is doing what it usually does",
    "improvement high": "Special cause improvement: unusually high, and higher is better",
    "improvement low": "Special cause improvement: unusually low, and lower is better",
    "concern high": "Special cause concern: unusually high, and lower is better",
    "concern low": "Special cause concern: unusually low, and higher is better",
    "passing": "Consistently passing the target: every month within the limits meets it",
    "hit and miss": "Hit and miss: the target lies within the limits, so some months will meet "
    "it and some will not",
    "failing": "Consistently failing the target: no month within the limits meets it without a "
    "change to the process",
}
SHORT = {
    "common cause": "Common cause",
    "improvement high": "Improvement (high)",
    "improvement low": "Improvement (low)",
    "concern high": "Concern (high)",
    "concern low": "Concern (low)",
    "passing": "Passing the target",
    "hit and miss": "Hit and miss",
    "failing": "Failing the target",
}

_OUTLINE = f'fill="{{}}" stroke="{INK}" stroke-width="2"'
_SHAPES = {
    "common cause": f'<circle cx="20" cy="20" r="17" {_OUTLINE}/>',
    "improvement": f'<polygon points="20,2 38,20 20,38 2,20" {_OUTLINE}/>',
    "concern": f'<rect x="4" y="4" width="32" height="32" {_OUTLINE}/>',
}
_FILLS = {"common cause": GREY, "improvement": IMPROVEMENT, "concern": CONCERN}
# An arrow and a letter: up and H above the middle for a high signal, L and down for low.
_HIGH = (
    f'<polygon points="20,8 25,14 15,14" fill="{INK}"/>'
    f'<text x="20" y="28" text-anchor="middle" font-size="13" font-weight="700" '
    f'font-family="Arial, sans-serif" fill="{INK}">H</text>'
)
_LOW = (
    f'<text x="20" y="22" text-anchor="middle" font-size="13" font-weight="700" '
    f'font-family="Arial, sans-serif" fill="{INK}">L</text>'
    f'<polygon points="15,26 25,26 20,32" fill="{INK}"/>'
)
_WAVE = (
    f'<polyline points="9,22 14,17 19,23 25,17 31,21" fill="none" stroke="{INK}" stroke-width="2"/>'
)
_ASSURANCE = {"passing": ("P", IMPROVEMENT), "failing": ("F", CONCERN), "hit and miss": ("?", GREY)}


def _drawing(key: str) -> str:
    if key in _ASSURANCE:
        letter, fill = _ASSURANCE[key]
        return (
            f'<rect x="3" y="3" width="34" height="34" rx="9" {_OUTLINE.format(fill)}/>'
            f'<line x1="7" y1="30" x2="33" y2="30" stroke="{INK}" stroke-width="2" '
            f'stroke-dasharray="3 2"/>'
            f'<text x="20" y="25" text-anchor="middle" font-size="16" font-weight="700" '
            f'font-family="Arial, sans-serif" fill="{INK}">{letter}</text>'
        )
    kind = key.split()[0] if key != "common cause" else key
    inner = _WAVE if key == "common cause" else _HIGH if key.endswith("high") else _LOW
    return _SHAPES[kind].format(_FILLS[kind]) + inner


def icon(key: str, size: int = 32) -> SafeString:
    """One icon as inline SVG, with its meaning as its accessible name and tooltip."""
    return format_html(
        '<svg class="pw-mdc-icon" data-icon="{}" role="img" aria-label="{}" width="{}" '
        'height="{}" viewBox="0 0 40 40" focusable="false"><title>{}</title>{}</svg>',
        key,
        MEANINGS[key],
        size,
        size,
        MEANINGS[key],
        SafeString(_drawing(key)),  # nosec B703 B308: built above from constants only
    )
