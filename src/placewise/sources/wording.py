"""Counts and actors as a person reads them on a page or in a load's message."""


def counted(count: int, one: str, many: str = "") -> str:
    """A count with its noun, singular or plural by the count: "1 row", "1,855 rows"."""
    return f"{count:,} {one if count == 1 else (many or one + 's')}"


def in_words(actor: str) -> str:
    """Who did something, as a person reads it: the audit log's "cli:root" is "the command line
    (root)"; a person is their user name."""
    if actor.startswith("cli:"):
        return f"the command line ({actor.removeprefix('cli:')})"
    return actor
