"""Bloom-filter encodings: hand-checked letter pairs, typos still close, other names far apart."""

from datetime import date

from placewise.linkage import bloom

SECRET = b"a secret shared by the agencies only"


def test_letter_pairs_are_padded_at_both_ends():
    assert bloom.bigrams("ann") == [" a", "an", "nn", "n "]


def test_a_typo_keeps_most_bits_and_another_name_shares_few():
    jonathan = bloom.bloom_filter("jonathan", secret=SECRET, field="given")
    jonathon = bloom.bloom_filter("jonathon", secret=SECRET, field="given")
    sarah = bloom.bloom_filter("sarah", secret=SECRET, field="given")
    # 9 letter pairs each, 7 shared: Dice of the pair sets is 2*7/18 = 0.78; bit collisions
    # can only raise the filters' Dice above that.
    assert 0.77 <= bloom.dice(jonathan, jonathon) < 1
    assert bloom.dice(jonathan, sarah) < 0.3
    assert bloom.dice(jonathan, jonathan) == 1


def test_the_encoding_depends_on_the_secret_and_the_field():
    one = bloom.bloom_filter("smith", secret=SECRET, field="family")
    assert one != bloom.bloom_filter("smith", secret=b"another secret entirely!", field="family")
    assert one != bloom.bloom_filter("smith", secret=SECRET, field="given")
    assert len(one) * 8 == bloom.FILTER_BITS


def test_swapped_day_and_month_share_a_key_and_nothing_is_in_clear():
    born = bloom.encode_identity(
        given_name="Amelia",
        family_name="O'Brien",
        date_of_birth=date(2014, 3, 7),
        postcode="NS4 7AB",
        nhs_number="943 476 5919",
        upn="A123456789012",
        secret=SECRET,
    )
    swapped = bloom.encode_identity(
        given_name="amelia",
        family_name="OBrien",
        date_of_birth=date(2014, 7, 3),
        postcode="ns47ab",
        nhs_number="9434765919",
        upn="a123456789012",
        secret=SECRET,
    )
    assert born["dob_key"] != swapped["dob_key"]
    assert born["dob_swap_key"] == swapped["dob_swap_key"]
    for same in ("given_name_bf", "family_name_bf", "postcode_key", "nhs_number_key", "upn_key"):
        assert born[same] == swapped[same], same
    text = bloom.serialise(born).lower()
    for clear in ("amelia", "brien", "2014", "ns4", "9434765919", "a123456789012"):
        assert clear not in text
