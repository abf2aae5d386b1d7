"""The resident service guide as residents and the service use it (issue 20, item 6): a typo finds
its item, a word with no answer becomes a gap counted by its words alone, the service answers it
in one step and the gap closes; forms refuse bad input with GOV.UK error summaries; the public
search refuses over-long input and too many searches from one address."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from placewise.guide import actions, queries, throttle
from placewise.guide.models import Gap, Item, Revision, SearchCount
from placewise.sharing import actors

pytestmark = pytest.mark.django_db


@pytest.fixture
def guide(people):
    alice = people["alice"]
    made = actions.create_guide(
        organisation=people["orgs"]["council"],
        key="recycling",
        title="Which bin does this go in?",
        area="Northshire",
        by=alice,
    )
    actions.add_item(
        guide=made,
        name="Plastic bottle",
        answer="Blue recycling bin",
        detail="Rinse it and put the lid back on.",
        synonyms="drinks bottle",
        by=alice,
    )
    actions.add_item(guide=made, name="Plastic bag", answer="General waste bin", by=alice)
    actions.add_item(guide=made, name="Glass jar", answer="Glass box", by=alice)
    return made


def search(text: str, address: str = "203.0.113.7"):
    return Client(REMOTE_ADDR=address).get(f"/guide/recycling/?q={text}")


def test_a_typo_finds_its_item_and_is_counted_by_its_words_only(guide):
    response = search("Plastik  botle")
    body = response.content.decode()
    assert response.status_code == 200
    assert "1 answer for ‘Plastik  botle’" in body
    assert "Plastic bottle" in body and "Blue recycling bin" in body
    count = SearchCount.objects.get()
    month = date.today().replace(day=1)
    assert (count.words, count.month, count.searches, count.unanswered) == (
        "plastik botle",
        month,
        1,
        0,
    )
    assert not Gap.objects.exists()
    # Nothing about who searched is kept: these are every column there is.
    assert {f.name for f in SearchCount._meta.get_fields()} == {
        "id",
        "guide",
        "words",
        "month",
        "searches",
        "unanswered",
    }


def test_a_word_with_no_answer_becomes_a_gap_most_frequent_first(client, people, guide):
    for _ in range(2):
        body = search("nappies").content.decode()
    assert "No answer for ‘nappies’ yet" in body
    search("Where do I put a coffee cup?")
    gaps = list(queries.open_gaps(guide).values_list("words", "searches"))
    assert gaps == [("nappies", 2), ("where do i put a coffee cup", 1)]
    # A near item is offered, but is not a good answer: "plastik bottle" would be; "bag" alone
    # matches one word of "plastic bag" only when nothing else was typed.
    near = search("bag of sand").content.decode()
    assert "No answer for ‘bag of sand’ yet" in near and "Similar items" in near
    client.force_login(people["alice"])
    page = client.get(reverse("guide:service", args=["recycling"])).content.decode()
    assert page.index("nappies") < page.index("where do i put a coffee cup")


def test_the_service_answers_a_gap_in_one_step_and_it_closes(client, people, guide):
    search("nappies")
    search("pop bottle")  # "pop" matches nothing: one word of two
    nappies = Gap.objects.get(words="nappies")
    pop = Gap.objects.get(words="pop bottle")
    client.force_login(people["alice"])
    url = reverse("guide:gap", args=["recycling", nappies.pk])
    assert client.get(url).status_code == 200
    done = client.post(
        url, {"item": "", "name": "Nappies", "answer": "General waste bin", "detail": "Bag them."}
    )
    assert done.status_code == 302
    nappies.refresh_from_db()
    assert nappies.closed_on == date.today() and nappies.answered_by.name == "Nappies"
    # Adding the words to an item the guide has: they become one of its synonyms.
    bottle = Item.objects.get(name="Plastic bottle")
    client.post(reverse("guide:gap", args=["recycling", pop.pk]), {"item": str(bottle.pk)})
    bottle.refresh_from_db()
    assert bottle.synonym_list == ["drinks bottle", "pop bottle"]
    assert bottle.revisions.first().change == Revision.Change.FROM_GAP
    # Residents now find both; nothing is open.
    assert "General waste bin" in search("nappy").content.decode()
    assert "Blue recycling bin" in search("pop botle").content.decode()
    assert not queries.open_gaps(guide).exists()
    page = client.get(reverse("guide:service", args=["recycling"])).content.decode()
    assert "No open gaps" in page and "‘nappies’ (1 search), answered" in page
    # The public page says what was added because residents asked.
    assert "Recently added because residents searched for them" in search("").content.decode()
    # A gap answered already is not answered twice.
    again = client.post(url, {"item": str(bottle.pk)})
    assert again.status_code == 400 and "Answered on" in again.content.decode()


def test_adding_an_item_closes_the_gaps_it_answers(people, guide):
    search("batteries")
    actions.add_item(
        guide=guide, name="Battery", answer="Battery bag on the bin lid", by=people["alice"]
    )
    gap = Gap.objects.get(words="batteries")
    assert gap.closed_on == date.today() and gap.answered_by.name == "Battery"


def test_how_gaps_closed_over_time_worked_by_hand(people, guide):
    alice = people["alice"]
    jan, feb = date(2027, 1, 10), date(2027, 2, 3)
    for words in ("nappies", "nappies", "coffee cup", "plastic bottle"):
        found = queries.search(guide, words)
        actions.count_search(
            guide=guide,
            text=words,
            answered=queries.answered(found),
            by=actors.member_of_the_public(),
            today=jan,
        )
    actions.answer_gap(
        gap=Gap.objects.get(words="coffee cup"),
        name="Coffee cup",
        answer="General waste bin",
        by=alice,
        today=feb,
    )
    actions.count_search(
        guide=guide, text="coffee cup", answered=True, by=actors.member_of_the_public(), today=feb
    )
    rows = [
        (m.month, m.searches, m.unanswered, m.opened, m.closed, m.open_at_end, m.answered_percent)
        for m in queries.history(guide)
    ]
    # January: 4 searches, 3 found nothing (nappies twice, coffee cup): 25% answered; 2 gaps
    # found, both open at the month's end. February: 1 search, answered; coffee cup closed.
    assert rows == [
        (date(2027, 1, 1), 4, 3, 2, 0, 2, 25),
        (date(2027, 2, 1), 1, 0, 0, 1, 1, 100),
    ]


def test_over_long_search_is_refused_with_an_error_summary_and_not_counted(guide):
    response = search("a" * 101)
    body = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in body and "Search for 100 characters or fewer" in body
    assert '<a href="#q">' in body
    assert not SearchCount.objects.exists()


def test_what_looks_like_personal_details_is_searched_but_never_kept(guide):
    for text in ("SW1A 1AA", "me@example.org", "07700 900123"):
        assert search(text).status_code == 200
    assert not SearchCount.objects.exists() and not Gap.objects.exists()


def test_too_many_searches_from_one_address_are_refused_for_the_minute(guide):
    for _ in range(throttle.SEARCHES_PER_MINUTE):
        assert search("glass jar", "198.51.100.1").status_code == 200
    refused = search("glass jar", "198.51.100.1")
    assert refused.status_code == 429 and refused["Retry-After"] == "60"
    assert "Too many searches from your network" in refused.content.decode()
    # Another address is not held up, and the refused search was not counted.
    assert search("glass jar", "198.51.100.2").status_code == 200
    assert SearchCount.objects.get().searches == throttle.SEARCHES_PER_MINUTE + 1
    # The search page without a search is never limited.
    assert Client(REMOTE_ADDR="198.51.100.1").get("/guide/recycling/").status_code == 200


def test_service_forms_refuse_bad_input_with_an_error_summary(client, people, guide):
    client.force_login(people["alice"])
    empty = client.post(reverse("guide:service", args=["recycling"]), {"name": "", "answer": ""})
    body = empty.content.decode()
    assert empty.status_code == 400 and "govuk-error-summary" in body
    assert "Enter the item" in body and "Enter the answer" in body
    twice = client.post(
        reverse("guide:service", args=["recycling"]), {"name": "glass JAR", "answer": "x"}
    )
    assert twice.status_code == 400
    assert "The guide already has &#x27;glass JAR&#x27;: change that item instead." in (
        twice.content.decode()
    )
    search("nappies")
    gap = Gap.objects.get()
    neither = client.post(reverse("guide:gap", args=["recycling", gap.pk]), {"item": ""})
    assert neither.status_code == 400
    assert "Choose an item the guide has, or enter the new item&#x27;s answer" in (
        neither.content.decode()
    )
    bad_key = client.post(
        reverse("guide:manage"), {"title": "Which bin?", "area": "North", "key": "Not A Slug"}
    )
    assert bad_key.status_code == 400
    assert "Address must be lower-case letters, digits and hyphens" in bad_key.content.decode()
    taken = client.post(
        reverse("guide:manage"), {"title": "Which bin?", "area": "North", "key": "service"}
    )
    assert taken.status_code == 400 and "choose another" in taken.content.decode()


def test_an_item_keeps_its_history(client, people, guide):
    client.force_login(people["alice"])
    jar = Item.objects.get(name="Glass jar")
    url = reverse("guide:item", args=["recycling", jar.pk])
    changed = client.post(
        url,
        {
            "name": "Glass jar",
            "answer": "Green glass box",
            "detail": "",
            "synonyms": "Jam jar\njam jar",
        },
    )
    assert changed.status_code == 302
    jar.refresh_from_db()
    assert jar.synonyms == "jam jar"
    answers = list(jar.revisions.values_list("change", "answer"))
    assert answers == [("changed", "Green glass box"), ("added", "Glass box")]
    page = client.get(url).content.decode()
    assert "Green glass box" in page and "Glass box" in page and "Alice Adeyemi" in page


def test_only_the_councils_service_edits_its_guide_and_is_told_why(client, people, guide):
    with pytest.raises(actions.GuideError, match="Only people who run Northshire"):
        actions.add_item(guide=guide, name="Tin can", answer="Blue bin", by=people["bob"])
    client.force_login(people["bob"])
    refused = client.get(reverse("guide:service", args=["recycling"]))
    assert refused.status_code == 403
    body = refused.content.decode()
    assert "Resident service guides are edited by the people who run a council&#x27;s" in body
    assert "do not include permission to run data review sessions" in body
    # The public page is the same for everyone.
    assert client.get("/guide/recycling/?q=tin").status_code == 200


def test_crafted_requests_to_the_public_pages_get_clear_answers(guide):
    resident = Client(REMOTE_ADDR="192.0.2.9")
    null = resident.get("/guide/recycling/?q=%00")
    assert null.status_code == 400 and "govuk-error-summary" in null.content.decode()
    script = resident.get("/guide/recycling/?q=<script>alert(1)</script>").content.decode()
    assert "<script>alert" not in script and "&lt;script&gt;alert(1)&lt;/script&gt;" in script
    # Two values: the last is the one searched, as everywhere in Django.
    both = resident.get("/guide/recycling/?q=nappies&q=glass+jar").content.decode()
    assert "1 answer for ‘glass jar’" in both
    assert resident.post("/guide/recycling/", {"q": "glass jar"}).status_code == 405
    assert resident.get("/guide/no-such-guide/?q=x").status_code == 404
    assert resident.get("/guide/recycling/?q=x&page=-1&id=1").status_code == 200
    # The service's pages send the public to sign in, whatever they ask for.
    for url in ("/guide/service/", "/guide/service/recycling/", "/guide/service/recycling/gaps/1/"):
        assert resident.get(url).status_code == 302
