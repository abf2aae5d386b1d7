"""Each person's menu leads only to pages they may use (issue 15, item 6), and a refusal names who
can grant access."""

import pytest
from django.urls import reverse

from placewise.sharing.permissions import Role
from placewise.web.navigation import menu
from tests import factories

pytestmark = pytest.mark.django_db


def _walk(client, user) -> dict[str, int]:
    """Every page the person's menu and home page lead to, with the status it answers."""
    client.force_login(user)
    found = {}
    for item in menu(user):
        found[item.url] = client.get(item.url).status_code
        for _, url in item.pages:
            found[url] = client.get(url).status_code
    return found


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_no_page_in_a_persons_menu_refuses_them(client, people, role):
    user = factories.person(f"someone_{role.value}", (people["orgs"]["police"], role))
    walked = _walk(client, user)
    assert walked, "the menu is never empty: Public and the coming sections are for everyone"
    refused = {url: status for url, status in walked.items() if status != 200}
    assert not refused, f"{role.value} is refused by pages in their menu: {refused}"


def test_the_demo_people_see_different_menus_and_none_refuses_them(client, people):
    titles = {}
    for name in ("alice", "bob", "charlie"):
        walked = _walk(client, people[name])
        assert set(walked.values()) == {200}, (name, walked)
        titles[name] = {item.section.title for item in menu(people[name])}
    # Hand-worked from the roles: Charlie is a police practitioner (may ask to see a person, no
    # more), so Data and Outcomes are not in his menu; Alice and Bob see both.
    assert {"Data", "Outcomes", "Learning"} <= titles["alice"]
    assert {"Data", "Outcomes", "Learning"} <= titles["bob"]
    assert "Data" not in titles["charlie"] and "Outcomes" not in titles["charlie"]
    assert "Learning" in titles["charlie"] and "Public" in titles["charlie"]
    # Learning leads Charlie to the one page of it he may use.
    (learning,) = [i for i in menu(people["charlie"]) if i.section.title == "Learning"]
    assert learning.url == reverse("journeys:find")


def test_a_refusal_names_the_data_owner_who_can_grant_access(client, people):
    police = people["orgs"]["police"]
    factories.person("pat", (police, Role.DATA_OWNER))
    client.force_login(people["charlie"])
    refused = client.get(reverse("data:home"))
    assert refused.status_code == 403
    text = refused.content.decode()
    assert "Pat Test, data owner, Northshire Police" in text


def test_a_refusal_says_when_no_data_owner_is_named(client, people):
    client.force_login(people["charlie"])
    text = client.get(reverse("outcomes:overview")).content.decode()
    assert "no data owner named in placewise yet" in text


def test_the_sites_own_not_found_page(client, people):
    client.force_login(people["charlie"])
    missing = client.get("/no/such/page/")
    assert missing.status_code == 404
    assert "Page not found" in missing.content.decode()
    assert "govuk-header" in missing.content.decode()  # the site's page, not Django's


def test_no_menu_before_the_second_factor(client, people):
    client.force_login(people["alice"])
    session = client.session
    session.pop("second_factor_ok", None)
    session.save()
    page = client.get(reverse("second_factor_verify"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "govuk-header__link" not in text and reverse("outcomes:overview") not in text
    assert "Sign out" in text  # the one way on that does not need the code


def test_a_sections_own_address_leads_to_the_first_page_a_person_may_use(client, people):
    administrator = factories.person(
        "an_administrator", (people["orgs"]["council"], Role.ADMINISTRATOR)
    )
    client.force_login(administrator)
    found = client.get("/governance/")
    assert (found.status_code, found["Location"]) == (302, "/governance/organisations/")
    client.force_login(people["alice"])  # head of service: runs review sessions
    found = client.get("/learning/")
    assert (found.status_code, found["Location"]) == (302, "/learning/reviews/")


def test_a_section_with_no_page_for_a_person_says_so_rather_than_not_found(client, people):
    practitioner = factories.person("a_practitioner", (people["orgs"]["police"], Role.PRACTITIONER))
    client.force_login(practitioner)
    refused = client.get("/governance/")
    assert refused.status_code == 403
    assert "None of the Set-up pages is open to your roles" in refused.content.decode()
    assert client.get("/nowhere-section/").status_code == 404
