"""The public portal and the open API stand up to the public internet (issue 20): every public
page and API route walked with crafted parameters (ids of unpublished and withdrawn figures,
huge, zero and negative numbers, SQL-ish strings, person references, overlong values), and
nothing unpublished or person-level comes back; errors are clear JSON; the rate limits hold (the API's in JSON, the pages' with a page)."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from placewise.public import actions
from tests.integration.public.test_public_portal import propose

pytestmark = pytest.mark.django_db

SECRET = "UNPUBLISHED-MEANING-7c1f"
WITHDRAWN = "WITHDRAWN-MEANING-93ab"
CRAFTED_IDS = ["0", "9223372036854775807", "9223372036854775808", "1" * 40]
CRAFTED_QUERIES = [
    {"page": "-1"},
    {"page": "0"},
    {"page": "99999999999999999999"},
    {"page": "1.5"},
    {"per_page": "100000"},
    {"per_page": "-5"},
    {"indicator": "x' OR '1'='1"},
    {"area": "Place; DROP TABLE public_publishedfigure;--"},
    {"indicator": "a" * 5000},
    {"person": "CH100001"},
    {"child_id": "CH100001", "purpose": "safeguarding"},
    {"id": "1"},
    {"status": "proposed"},
    {"format": "json", "include": "proposed"},
]


def _routes(resolver: URLResolver, namespace: str) -> list[tuple[str, URLPattern]]:
    found = []
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            found += _routes(p, p.namespace or namespace)
        elif namespace in ("public", "api") and p.name:
            found.append((f"{namespace}:{p.name}", p))
    return found


@pytest.fixture
def figures(people):
    """One figure published, one proposed and one withdrawn, with marked meanings."""
    shown = propose(people["bob"])
    actions.sign_off(figure=shown, by=people["alice"])
    hidden = propose(people["bob"], team="North", meaning=SECRET)
    gone = propose(people["bob"], team="South", meaning=WITHDRAWN)
    actions.sign_off(figure=gone, by=people["alice"])
    actions.withdraw(figure=gone, reason="wrong", by=people["alice"])
    return {"shown": shown, "hidden": hidden, "gone": gone}


def _clean(response) -> None:
    body = response.content.decode(errors="replace")
    assert SECRET not in body and WITHDRAWN not in body
    assert "CH100001" not in body  # a person's reference is never echoed back
    assert response.status_code != 500


def test_every_public_route_with_crafted_ids_and_parameters(client, figures):
    routes = _routes(get_resolver(), "")
    names = {name for name, _ in routes}
    assert {"public:figure", "public:figure_csv", "api:figures", "api:figure"} <= names
    unpublished = [str(figures["hidden"].pk), str(figures["gone"].pk)]
    asked = 0
    for name, pattern in routes:
        keys = list(pattern.pattern.regex.groupindex)
        if keys:
            for pk in [*unpublished, *CRAFTED_IDS]:
                response = client.get(reverse(name, kwargs={"pk": pk}))
                # The public ones answer 404 (the same as a figure that never was); the staff
                # ones send an anonymous caller to sign in.
                expected = 302 if ":manage" in name or name.split(":")[1] in STAFF else 404
                assert response.status_code == expected, (name, pk)
                _clean(response)
                asked += 1
            continue
        for query in CRAFTED_QUERIES:
            response = client.get(reverse(name), query)
            _clean(response)
            asked += 1
    # Every other address under /api/ answers in JSON too.
    for path in ["v2/figures/", "v1/figures/-1/", "v1/persons/CH100001/", "v1/figures/1;--"]:
        response = client.get(f"/api/{path}")
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
        _clean(response)
        asked += 1
    assert asked > 100


STAFF = {"manage", "propose", "edit_strategy", "check", "sign_off", "withdraw"}


def test_the_api_refuses_crafted_parameters_in_json(client, figures):
    url = reverse("api:figures")
    cases = {
        "page=-1": "page must be a whole number from 1.",
        "page=0": "page must be a whole number from 1.",
        "page=1.5": "page must be a whole number from 1.",
        "page=99999999999999999999": "page must be a whole number from 1.",
        "per_page=101": "per_page must be at most 100.",
        "person=CH100001": "Unknown parameter 'person': this route takes area, indicator, page, per_page.",
        "indicator=x'%20OR%20'1'='1": "indicator has characters no indicator or area name has.",
        f"indicator={'a' * 101}": "indicator is longer than 100 characters.",
        "page=1&page=2": "Give page once.",
    }
    for query, message in cases.items():
        response = client.get(f"{url}?{query}")
        assert response.status_code == 400, query
        assert response["Content-Type"] == "application/json"
        assert response.json() == {
            "error": {"status": 400, "code": "bad_parameter", "message": message}
        }
    beyond = client.get(f"{url}?page=2")
    assert beyond.status_code == 404
    assert beyond.json()["error"]["message"] == "There are 1 pages of 20."


def test_the_api_lists_only_published_figures_a_page_at_a_time(client, figures):
    listed = client.get(reverse("api:figures"), {"per_page": "1"}).json()
    assert listed["count"] == 1 and listed["pages"] == 1
    assert [r["id"] for r in listed["results"]] == [figures["shown"].pk]
    assert listed["next"] is None and listed["previous"] is None
    assert client.get(reverse("api:figures"), {"area": "North"}).json()["count"] == 0
    assert client.get(reverse("api:figures"), {"area": "Place"}).json()["count"] == 1


def test_the_api_is_read_only(client, figures):
    for name, kwargs in [("api:figures", {}), ("api:figure", {"pk": figures["shown"].pk})]:
        response = client.post(reverse(name, kwargs=kwargs), {"meaning": "x"})
        assert response.status_code == 405
        assert response.json()["error"]["code"] == "read_only"
    # The public downloads are read-only too.
    assert client.post(reverse("public:figure_csv", args=[figures["shown"].pk])).status_code == 405


def test_the_api_is_rate_limited_per_address(client, figures, settings):
    settings.PLACEWISE_PUBLIC_API_PER_MINUTE = 3
    url = reverse("api:figures")
    answers = [client.get(url, REMOTE_ADDR="203.0.113.9").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    refused = client.get(url, REMOTE_ADDR="203.0.113.9")
    assert refused.json()["error"]["code"] == "rate_limited"
    assert 1 <= int(refused["Retry-After"]) <= 61
    # Another address is not held up by the first.
    assert client.get(url, REMOTE_ADDR="203.0.113.10").status_code == 200
    # The downloads count against the same limit.
    csv = reverse("public:figure_csv", args=[figures["shown"].pk])
    assert client.get(csv, REMOTE_ADDR="203.0.113.9").status_code == 429


def test_the_public_pages_are_rate_limited_per_address_with_a_page(client, figures, settings):
    settings.PLACEWISE_PUBLIC_PAGES_PER_MINUTE = 3
    url = reverse("public:figures")
    answers = [client.get(url, REMOTE_ADDR="203.0.113.9").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    # Every public page draws on the same budget: the fifth page read this minute is refused.
    refused = client.get(reverse("public:methodology"), REMOTE_ADDR="203.0.113.9")
    assert refused.status_code == 429
    assert refused["Content-Type"].startswith("text/html")
    body = refused.content.decode()
    assert "Too many requests from your network" in body
    assert "at most 3 requests a minute" in body
    assert "govuk-template" in body  # the service's page, not a bare error
    retry = int(refused["Retry-After"])
    assert 1 <= retry <= 61
    assert f"Try again in {retry} second" in body
    # Another address is not held up by the first.
    assert client.get(url, REMOTE_ADDR="203.0.113.10").status_code == 200


def test_the_pages_and_the_api_count_against_separate_budgets(client, figures, settings):
    settings.PLACEWISE_PUBLIC_PAGES_PER_MINUTE = 2
    settings.PLACEWISE_PUBLIC_API_PER_MINUTE = 2
    page, api = reverse("public:register"), reverse("api:figures")
    csv = reverse("public:figure_csv", args=[figures["shown"].pk])
    me = {"REMOTE_ADDR": "203.0.113.9"}
    # Two pages use up the pages' budget, and the API still answers twice (its own budget)...
    assert [client.get(page, **me).status_code for _ in range(2)] == [200, 200]
    assert client.get(page, **me).status_code == 429
    assert [client.get(api, **me).status_code for _ in range(2)] == [200, 200]
    # ...until its own two are used: then the API and the downloads answer JSON 429.
    refused = client.get(csv, **me)
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "rate_limited"


def test_a_public_page_is_read_only(client, figures):
    # The test client skips the CSRF check, so this is what a post with a valid token gets.
    response = client.post(reverse("public:strategy"))
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert client.head(reverse("public:strategy")).status_code == 200


def test_the_openapi_description_is_served_as_json(client, figures):
    response = client.get(reverse("api:openapi"))
    assert response.status_code == 200
    body = response.json()
    assert body["openapi"] == "3.1.0"
    assert set(body["paths"]) == {"/figures/", "/figures/{id}/"}
    assert body["servers"] == [{"url": "http://testserver/api/v1"}]
    parameters = {p["name"] for p in body["paths"]["/figures/"]["get"]["parameters"]}
    assert parameters == {"page", "per_page", "indicator", "area"}


def test_nothing_person_level_in_any_published_figure(client, figures):
    """A figure's downloads hold months of counts and values, and nothing else."""
    body = client.get(reverse("api:figure", args=[figures["shown"].pk])).json()
    assert set(body) == {"metadata", "months"}
    columns = {"period", "numerator", "denominator", "value", "mean", "lower_limit"}
    for month in body["months"]:
        assert set(month) == columns | {"upper_limit", "withheld"}
