"""Counts and actors as a person reads them (the Data area and loads' messages)."""

from placewise.sources.wording import counted, in_words


def test_a_count_takes_its_noun_singular_or_plural():
    assert counted(1, "row") == "1 row"
    assert counted(0, "row") == "0 rows"
    assert counted(1855, "row") == "1,855 rows"
    assert counted(1, "identity", "identities") == "1 identity"
    assert counted(2, "identity", "identities") == "2 identities"


def test_the_command_line_is_named_in_words():
    assert in_words("cli:root") == "the command line (root)"
    assert in_words("alice") == "alice"
