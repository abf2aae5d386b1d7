"""Every URL pattern the project has, as anonymous, Alice, Bob and Charlie.

A page added without an entry here fails this test: decide who may see it, then add it.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from placewise.practice import actions as practice_actions
from placewise.sources.models import Load
from tests.conftest import first_child

pytestmark = pytest.mark.django_db

ANON, ALICE, BOB, CHARLIE = "anonymous", "alice", "bob", "charlie"
SIGN_IN = {ANON: 302}
EVERYONE_SIGNED_IN = {**SIGN_IN, ALICE: 200, BOB: 200, CHARLIE: 200}

EXPECTED: dict[str, dict[str, int]] = {
    "home": EVERYONE_SIGNED_IN,
    "login": {ANON: 200, ALICE: 200, BOB: 200, CHARLIE: 200},
    "logout": {ANON: 405, ALICE: 405, BOB: 405, CHARLIE: 405},  # sign out is a POST
    # Every section of the menu has pages now (the last, Community, since issue 20), so no
    # section has a "coming" page left: each asks for a section that is built.
    "coming": {**SIGN_IN, ALICE: 404, BOB: 404, CHARLIE: 404},
    "data:home": {**SIGN_IN, ALICE: 200, BOB: 200, CHARLIE: 403},
    "data:load": {**SIGN_IN, ALICE: 200, BOB: 403, CHARLIE: 403},  # a council load
    "data:upload": {**SIGN_IN, ALICE: 200, BOB: 200, CHARLIE: 403},
    "linkage:home": {**SIGN_IN, ALICE: 200, BOB: 200, CHARLIE: 403},
    "linkage:queue": {**SIGN_IN, ALICE: 200, BOB: 200, CHARLIE: 403},
    # Starting a linkage run, cancelling or retrying a job: forms that only POST.
    "linkage:start": {**SIGN_IN, ALICE: 405, BOB: 405, CHARLIE: 405},
    "jobs:cancel": {**SIGN_IN, ALICE: 405, BOB: 405, CHARLIE: 405},
    "jobs:retry": {**SIGN_IN, ALICE: 405, BOB: 405, CHARLIE: 405},
    # No job has this number (who may see a job is tested in integration/test_jobs.py).
    "jobs:job": {**SIGN_IN, ALICE: 404, BOB: 404, CHARLIE: 404},
    "jobs:progress": {**SIGN_IN, ALICE: 404, BOB: 404, CHARLIE: 404},
    "jobs:download": {**SIGN_IN, ALICE: 404, BOB: 404, CHARLIE: 404},
    # Each person's own jobs (an administrator's: everyone's); starting housekeeping only POSTs.
    "jobs:list": EVERYONE_SIGNED_IN,
    "jobs:start": {**SIGN_IN, ALICE: 405, BOB: 405, CHARLIE: 405},
    # Exporting the indicators one may see: those who see outcomes.
    "outcomes:export": {**SIGN_IN, ALICE: 200, BOB: 200, CHARLIE: 403},
    # No pair under review has this number: reviewers are told so, others are refused first.
    "linkage:pair": {**SIGN_IN, ALICE: 404, BOB: 404, CHARLIE: 403},
    "sharing:audit": {**SIGN_IN, ALICE: 200, BOB: 403, CHARLIE: 403},
    "sharing:agreements": {**SIGN_IN, ALICE: 200, BOB: 200, CHARLIE: 403},
    "journeys:find": EVERYONE_SIGNED_IN,  # anyone with a role may ask; the policy decides
    # Without a purpose given for this case, everyone is sent to say why first.
    "journeys:person": {**SIGN_IN, ALICE: 302, BOB: 302, CHARLIE: 302},
    # Bob's health trust has the council's data under the demo agreement; Charlie's role has no
    # aggregate view.
    "journeys:cohort": {**SIGN_IN, ALICE: 200, BOB: 200, CHARLIE: 403},
    # Indicators are aggregates: the council's own people and Bob (council data shared with his
    # trust) see them; Charlie's role has no outcomes view.
    "outcomes:overview": {**SIGN_IN, ALICE: 200, BOB: 200, CHARLIE: 403},
    "outcomes:indicator": {**SIGN_IN, ALICE: 200, BOB: 200, CHARLIE: 403},
    # The series as CSV: the small place has too few assessments a month to chart, so there is
    # no series to download (404 with why); Charlie may not see outcomes at all.
    # The actions register and an action: people who run review sessions (Alice); the action
    # in the arguments does not exist in this place, so Alice is told so.
    "reviews:actions": {**SIGN_IN, ALICE: 200, BOB: 403, CHARLIE: 403},
    "reviews:action": {**SIGN_IN, ALICE: 404, BOB: 403, CHARLIE: 403},
    "outcomes:indicator_csv": {**SIGN_IN, ALICE: 404, BOB: 404, CHARLIE: 403},
    "outcomes:teams": {**SIGN_IN, ALICE: 200, BOB: 200, CHARLIE: 403},
    # The children behind a month: people who may see both outcomes and people; with no month
    # chosen there is nothing to show.
    "outcomes:children": {**SIGN_IN, ALICE: 404, BOB: 404, CHARLIE: 403},
    # Review sessions are run by the council's heads of service and team managers; partners who
    # may see indicators (Bob) list the sessions they may join (ADR 0021). A session is looked up
    # before who may attend it is decided, and none has this number.
    "reviews:reviews": {**SIGN_IN, ALICE: 200, BOB: 200, CHARLIE: 403},
    "reviews:review": {**SIGN_IN, ALICE: 404, BOB: 404, CHARLIE: 404},
    "reviews:review_pack": {**SIGN_IN, ALICE: 404, BOB: 404, CHARLIE: 404},
    "reviews:review_pack_pdf": {**SIGN_IN, ALICE: 404, BOB: 404, CHARLIE: 404},
    "public:register": {ANON: 200, ALICE: 200, BOB: 200, CHARLIE: 200},
    # Community co-design (issue 20): run by those who run review sessions at their own
    # organisation (Alice); no engagement, proposal or contact has the load's number; publishing
    # and deleting contact details only POST. The you-said-we-did pages are public: anyone reads
    # them; no published engagement has the slug given.
    "community:home": {**SIGN_IN, ALICE: 200, BOB: 403, CHARLIE: 403},
    "community:population": {**SIGN_IN, ALICE: 200, BOB: 403, CHARLIE: 403},
    "community:service_population": {**SIGN_IN, ALICE: 200, BOB: 403, CHARLIE: 403},
    "community:new": {**SIGN_IN, ALICE: 200, BOB: 403, CHARLIE: 403},
    **{
        f"community:{name}": {**SIGN_IN, ALICE: 404, BOB: 404, CHARLIE: 404}
        for name in ("engagement", "new_session", "voices", "contacts", "respond")
    },
    "community:publish": {**SIGN_IN, ALICE: 405, BOB: 405, CHARLIE: 405},
    "community:forget_contact": {**SIGN_IN, ALICE: 405, BOB: 405, CHARLIE: 405},
    "community:you_said_we_did_list": {ANON: 200, ALICE: 200, BOB: 200, CHARLIE: 200},
    "community:you_said_we_did": {ANON: 404, ALICE: 404, BOB: 404, CHARLIE: 404},
    # The public portal (issue 20): its pages for anyone, signed in or not; no figure has the
    # load's number, so a figure, its downloads and the API's figure are not found. Publishing
    # is for those who see outcomes (Alice, Bob); the data strategy is a data owner's (Alice).
    **{
        f"public:{name}": {ANON: 200, ALICE: 200, BOB: 200, CHARLIE: 200}
        for name in ("figures", "open_data", "strategy", "methodology", "your_data")
    },
    **{
        f"public:{name}": {ANON: 404, ALICE: 404, BOB: 404, CHARLIE: 404}
        for name in ("figure", "figure_csv", "figure_json")
    },
    "public:manage": {**SIGN_IN, ALICE: 200, BOB: 200, CHARLIE: 403},
    "public:propose": {**SIGN_IN, ALICE: 200, BOB: 200, CHARLIE: 403},
    "public:check": {**SIGN_IN, ALICE: 404, BOB: 404, CHARLIE: 403},
    "public:sign_off": {**SIGN_IN, ALICE: 404, BOB: 404, CHARLIE: 404},
    "public:withdraw": {**SIGN_IN, ALICE: 404, BOB: 404, CHARLIE: 404},
    "public:edit_strategy": {**SIGN_IN, ALICE: 200, BOB: 403, CHARLIE: 403},
    "api:index": {ANON: 200, ALICE: 200, BOB: 200, CHARLIE: 200},
    "api:figures": {ANON: 200, ALICE: 200, BOB: 200, CHARLIE: 200},
    "api:figure": {ANON: 404, ALICE: 404, BOB: 404, CHARLIE: 404},
    "api:openapi": {ANON: 200, ALICE: 200, BOB: 200, CHARLIE: 200},
    # Signed in with a second factor already passed: alice and bob go on to where they were going;
    # charlie has no authenticator, so he is offered one.
    # Setting the place up: administrators only (none of the three is one); data owners declare
    # their own sources and draft agreements. Pages that only take a POST answer 405 to a GET.
    "governance:organisations": {**SIGN_IN, ALICE: 403, BOB: 403, CHARLIE: 403},
    "governance:organisation": {**SIGN_IN, ALICE: 403, BOB: 403, CHARLIE: 403},
    "governance:people": {**SIGN_IN, ALICE: 403, BOB: 403, CHARLIE: 403},
    "governance:invite": {**SIGN_IN, ALICE: 403, BOB: 403, CHARLIE: 403},
    "governance:person": {**SIGN_IN, ALICE: 403, BOB: 403, CHARLIE: 403},
    "governance:take_role": {**SIGN_IN, ALICE: 405, BOB: 405, CHARLIE: 405},
    "governance:deactivate": {**SIGN_IN, ALICE: 405, BOB: 405, CHARLIE: 405},
    "governance:withdraw": {**SIGN_IN, ALICE: 405, BOB: 405, CHARLIE: 405},
    # An invitation link is open to whoever holds it; this one is not a real link.
    "governance:join": {ANON: 410, ALICE: 410, BOB: 410, CHARLIE: 410},
    "governance:sources": {**SIGN_IN, ALICE: 200, BOB: 403, CHARLIE: 403},
    # Renaming the council's source: its data owner (Alice) or an administrator, no one else.
    "governance:rename_source": {**SIGN_IN, ALICE: 200, BOB: 403, CHARLIE: 403},
    "governance:agreements": {**SIGN_IN, ALICE: 200, BOB: 200, CHARLIE: 403},
    "governance:draft": {**SIGN_IN, ALICE: 200, BOB: 403, CHARLIE: 403},
    # The demo agreement (its own number, given below): anyone who may see agreements sees it;
    # only a party's data owner (Alice, the council's) or an administrator may suspend or end it.
    "governance:agreement": {**SIGN_IN, ALICE: 200, BOB: 200, CHARLIE: 403},
    "governance:agreement_status": {**SIGN_IN, ALICE: 200, BOB: 403, CHARLIE: 403},
    "governance:add_dataset": {**SIGN_IN, ALICE: 405, BOB: 405, CHARLIE: 405},
    "governance:approve": {**SIGN_IN, ALICE: 405, BOB: 405, CHARLIE: 405},
    # A section's own address: to the first page of it the person may use, or why none is theirs.
    "governance:start": {**SIGN_IN, ALICE: 302, BOB: 403, CHARLIE: 403},
    "learning_start": {**SIGN_IN, ALICE: 302, BOB: 302, CHARLIE: 302},
    # Practice learning. Charlie is a police practitioner: he may take part in peer reviews.
    "practice:home": {**SIGN_IN, ALICE: 200, BOB: 403, CHARLIE: 200},
    "practice:framework": {**SIGN_IN, ALICE: 200, BOB: 403, CHARLIE: 200},
    "practice:framework_edit": {**SIGN_IN, ALICE: 200, BOB: 403, CHARLIE: 403},
    "practice:framework_version": {**SIGN_IN, ALICE: 200, BOB: 403, CHARLIE: 404},
    "practice:teams": {**SIGN_IN, ALICE: 200, BOB: 403, CHARLIE: 403},
    "practice:themes": {**SIGN_IN, ALICE: 200, BOB: 403, CHARLIE: 403},
    "practice:new_review": {**SIGN_IN, ALICE: 200, BOB: 403, CHARLIE: 200},
    # No review has the load's pk.
    "practice:review": {**SIGN_IN, ALICE: 404, BOB: 404, CHARLIE: 404},
    "practice:case": {**SIGN_IN, ALICE: 404, BOB: 404, CHARLIE: 404},
    "practice:feedback": {**SIGN_IN, ALICE: 404, BOB: 404, CHARLIE: 404},
    "practice:agree": {**SIGN_IN, ALICE: 404, BOB: 404, CHARLIE: 404},
    "practice:export": {**SIGN_IN, ALICE: 404, BOB: 404, CHARLIE: 404},
    "practice:share": {**SIGN_IN, ALICE: 405, BOB: 405, CHARLIE: 405},
    "supervision:home": {**SIGN_IN, ALICE: 200, BOB: 403, CHARLIE: 200},
    "supervision:my_progress": {**SIGN_IN, ALICE: 200, BOB: 403, CHARLIE: 200},
    "supervision:supervisees": {**SIGN_IN, ALICE: 200, BOB: 403, CHARLIE: 403},
    # No supervision or session has the load's pk.
    "supervision:supervision": {**SIGN_IN, ALICE: 404, BOB: 404, CHARLIE: 404},
    "supervision:new_session": {**SIGN_IN, ALICE: 404, BOB: 404, CHARLIE: 404},
    "supervision:session": {**SIGN_IN, ALICE: 404, BOB: 404, CHARLIE: 404},
    "supervision:end": {**SIGN_IN, ALICE: 404, BOB: 403, CHARLIE: 403},
    # A person's progress: their own (Alice's, below), refused to those who do not supervise her.
    "supervision:progress": {**SIGN_IN, ALICE: 200, BOB: 403, CHARLIE: 403},
    "supervision:progress_pdf": {**SIGN_IN, ALICE: 200, BOB: 403, CHARLIE: 403},
    "supervision:progress_xlsx": {**SIGN_IN, ALICE: 200, BOB: 403, CHARLIE: 403},
    # Leadership development: a person's own pages are open to everyone signed in; another's
    # plan, coaching or 360 round (none has the load's pk) is not found; organisations' counts
    # and questionnaires' editing need leaders' permissions. A rater's link that is not one
    # placewise made is gone (410) for everyone.
    "leadership:home": {**SIGN_IN, ALICE: 200, BOB: 200, CHARLIE: 200},
    "leadership:my_plan": {**SIGN_IN, ALICE: 200, BOB: 200, CHARLIE: 200},
    "leadership:plan": {**SIGN_IN, ALICE: 404, BOB: 404, CHARLIE: 404},
    "leadership:new_experiment": {**SIGN_IN, ALICE: 404, BOB: 404, CHARLIE: 404},
    "leadership:plan_pdf": {**SIGN_IN, ALICE: 404, BOB: 404, CHARLIE: 404},
    "leadership:experiment": {**SIGN_IN, ALICE: 404, BOB: 404, CHARLIE: 404},
    "leadership:sharing": {**SIGN_IN, ALICE: 200, BOB: 200, CHARLIE: 200},
    "leadership:my_data": {**SIGN_IN, ALICE: 200, BOB: 200, CHARLIE: 200},
    "leadership:coaching_home": {**SIGN_IN, ALICE: 200, BOB: 200, CHARLIE: 200},
    "leadership:coaching": {**SIGN_IN, ALICE: 404, BOB: 404, CHARLIE: 404},
    "leadership:conversation": {**SIGN_IN, ALICE: 404, BOB: 404, CHARLIE: 404},
    "leadership:numbers": {**SIGN_IN, ALICE: 200, BOB: 403, CHARLIE: 403},
    # Initiatives (issue 19): the list and the start form for anyone in an organisation; no
    # initiative has the load's number; marking a milestone reached only POSTs.
    "initiatives:home": EVERYONE_SIGNED_IN,
    "initiatives:start": EVERYONE_SIGNED_IN,
    **{
        f"initiatives:{name}": {**SIGN_IN, ALICE: 404, BOB: 404, CHARLIE: 404}
        for name in (
            "initiative",
            "describe",
            "new_stakeholder",
            "stakeholder",
            "add_member",
            "add_partner",
            "add_capacity",
            "add_indicator",
            "add_milestone",
        )
    },
    "initiatives:reach_milestone": {**SIGN_IN, ALICE: 405, BOB: 405, CHARLIE: 405},
    "surveys:home": {**SIGN_IN, ALICE: 200, BOB: 200, CHARLIE: 200},
    # The system map: everyone who works for a partner reads it and its exports; Alice (head of
    # service) changes it, Bob (analyst) and Charlie (practitioner) may not. No node or edge has
    # the key given, so those pages answer 404 once the reader may see the map.
    "systemmap:map": EVERYONE_SIGNED_IN,
    "systemmap:history": EVERYONE_SIGNED_IN,
    "systemmap:export_nodes": EVERYONE_SIGNED_IN,
    "systemmap:export_edges": EVERYONE_SIGNED_IN,
    "systemmap:export_graphml": EVERYONE_SIGNED_IN,
    "systemmap:export_json": EVERYONE_SIGNED_IN,
    "systemmap:node": {**SIGN_IN, ALICE: 404, BOB: 404, CHARLIE: 404},
    "systemmap:edge": {**SIGN_IN, ALICE: 404, BOB: 404, CHARLIE: 404},
    "systemmap:new_node": {**SIGN_IN, ALICE: 200, BOB: 403, CHARLIE: 403},
    "systemmap:new_edge": {**SIGN_IN, ALICE: 200, BOB: 403, CHARLIE: 403},
    "systemmap:import": {**SIGN_IN, ALICE: 200, BOB: 403, CHARLIE: 403},
    "surveys:start": {**SIGN_IN, ALICE: 405, BOB: 405, CHARLIE: 405},
    "surveys:round": {**SIGN_IN, ALICE: 404, BOB: 404, CHARLIE: 404},
    "surveys:self_assess": {**SIGN_IN, ALICE: 404, BOB: 404, CHARLIE: 404},
    "surveys:invite": {**SIGN_IN, ALICE: 404, BOB: 404, CHARLIE: 404},
    "surveys:close": {**SIGN_IN, ALICE: 405, BOB: 405, CHARLIE: 405},
    "surveys:share": {**SIGN_IN, ALICE: 404, BOB: 404, CHARLIE: 404},
    "surveys:report": {**SIGN_IN, ALICE: 404, BOB: 404, CHARLIE: 404},
    "surveys:report_pdf": {**SIGN_IN, ALICE: 404, BOB: 404, CHARLIE: 404},
    "surveys:rate": {ANON: 410, ALICE: 410, BOB: 410, CHARLIE: 410},
    "surveys:questionnaire": {**SIGN_IN, ALICE: 200, BOB: 200, CHARLIE: 200},
    "surveys:questionnaire_edit": {**SIGN_IN, ALICE: 200, BOB: 403, CHARLIE: 403},
    "surveys:scan_new": {**SIGN_IN, ALICE: 200, BOB: 403, CHARLIE: 403},
    "surveys:scan": {**SIGN_IN, ALICE: 404, BOB: 404, CHARLIE: 404},
    "surveys:scan_answer": {**SIGN_IN, ALICE: 404, BOB: 404, CHARLIE: 404},
    "surveys:scan_close": {**SIGN_IN, ALICE: 405, BOB: 405, CHARLIE: 405},
    # The approaches library is read by everyone signed in; an enabler or head of service
    # (Alice) adds approaches and runs the place survey. No approach, question or round exists
    # here, so their pages are 404 (approaches/visibility.py, test_approaches_matrix.py).
    "approaches:home": EVERYONE_SIGNED_IN,
    "approaches:question": {**SIGN_IN, ALICE: 404, BOB: 404, CHARLIE: 404},
    "approaches:new": {**SIGN_IN, ALICE: 200, BOB: 403, CHARLIE: 403},
    "approaches:approach": {**SIGN_IN, ALICE: 404, BOB: 404, CHARLIE: 404},
    "approaches:edit": {**SIGN_IN, ALICE: 404, BOB: 404, CHARLIE: 404},
    "approaches:history": {**SIGN_IN, ALICE: 404, BOB: 404, CHARLIE: 404},
    "approaches:use": {**SIGN_IN, ALICE: 404, BOB: 404, CHARLIE: 404},
    "approaches:survey": EVERYONE_SIGNED_IN,
    "approaches:round_new": {**SIGN_IN, ALICE: 200, BOB: 403, CHARLIE: 403},
    "approaches:round": {**SIGN_IN, ALICE: 404, BOB: 404, CHARLIE: 404},
    "approaches:answer": {**SIGN_IN, ALICE: 404, BOB: 404, CHARLIE: 404},
    "approaches:link": {**SIGN_IN, ALICE: 404, BOB: 404, CHARLIE: 404},
    "approaches:close": {**SIGN_IN, ALICE: 405, BOB: 405, CHARLIE: 405},
    "approaches:tag": {**SIGN_IN, ALICE: 404, BOB: 404, CHARLIE: 404},
    "approaches:respond": {ANON: 410, ALICE: 410, BOB: 410, CHARLIE: 410},
    "service_reviews:home": {**SIGN_IN, ALICE: 200, BOB: 403, CHARLIE: 403},
    # No meeting has the load's pk: the lookup answers before attendance is asked.
    "service_reviews:meeting": {**SIGN_IN, ALICE: 404, BOB: 404, CHARLIE: 404},
    "service_reviews:record_pdf": {**SIGN_IN, ALICE: 404, BOB: 404, CHARLIE: 404},
    "service_reviews:record_xlsx": {**SIGN_IN, ALICE: 404, BOB: 404, CHARLIE: 404},
    "second_factor_verify": {**SIGN_IN, ALICE: 200, BOB: 200, CHARLIE: 302},
    "second_factor_setup": {**SIGN_IN, ALICE: 302, BOB: 302, CHARLIE: 200},
    # The resident service guide: public pages for anyone, signed in or not (no guide has this
    # key, so its page is not found); the service's pages for its council's heads of service
    # and team managers (Alice), after sign-in.
    "guide:index": {ANON: 200, ALICE: 200, BOB: 200, CHARLIE: 200},
    "guide:guide": {ANON: 404, ALICE: 404, BOB: 404, CHARLIE: 404},
    "guide:manage": {**SIGN_IN, ALICE: 200, BOB: 403, CHARLIE: 403},
    "guide:service": {**SIGN_IN, ALICE: 404, BOB: 404, CHARLIE: 404},
    "guide:item": {**SIGN_IN, ALICE: 404, BOB: 404, CHARLIE: 404},
    "guide:gap": {**SIGN_IN, ALICE: 404, BOB: 404, CHARLIE: 404},
}
# The admin is not mounted unless PLACEWISE_ADMIN_ENABLED: its access is tested in
# test_second_factor.py.


def patterns(resolver: URLResolver, namespace: str = "") -> list[tuple[str, URLPattern]]:
    found = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found.extend(patterns(entry, inner))
        elif entry.name:
            found.append((f"{namespace}{entry.name}", entry))
    return found


def test_every_url_has_an_expected_status_for_each_user(
    client, people, agreement, shared_place, small_place
):
    council_load = Load.objects.filter(source="council_csc").first()
    # Pages that name an object of their own are given that object's number, not the load's, so
    # no row passes because two tables happen to number their first rows alike.
    own_objects = {
        name: {"pk": agreement.pk}
        for name in (
            "governance:agreement",
            "governance:agreement_status",
            "governance:add_dataset",
            "governance:approve",
        )
    }
    own_objects["governance:organisation"] = {"pk": people["orgs"]["council"].pk}
    own_objects["governance:person"] = {"pk": people["alice"].pk}
    own_objects["community:you_said_we_did"] = {"slug": "no-such-engagement"}
    # The council's framework is made on the first visit to its page; make it now and name it,
    # rather than hoping it gets the load's number (it does on SQLite, not on PostgreSQL).
    framework = practice_actions.start_framework(
        organisation=people["orgs"]["council"], by=people["alice"]
    )
    own_objects["practice:framework_version"] = {"pk": framework.pk}
    for name in ("supervision:progress", "supervision:progress_pdf", "supervision:progress_xlsx"):
        own_objects[name] = {"pk": people["alice"].pk}
    arguments = {
        "pk": council_load.pk,
        "section": "community",
        "source": "council_csc",
        "reference": first_child(small_place),
        "app_label": "auth",
        "object_id": "1",
        "content_type_id": "1",
        "url": "x",
        "id": "1",
        "key": "assessments_within_45_days",
        "membership": "1",
        "token": "not-a-link",
        "kind": "refresh",
    }
    unlisted, wrong = [], []
    for name, pattern in patterns(get_resolver()):
        if name in EXPECTED:
            expected = EXPECTED[name]
        else:
            unlisted.append(name)
            continue
        given = {**arguments, **own_objects.get(name, {})}
        kwargs = {k: given[k] for k in pattern.pattern.regex.groupindex}
        url = reverse(name, kwargs=kwargs)
        for user, status in expected.items():
            client.logout()
            if user != ANON:
                client.force_login(people[user])
            got = client.get(url).status_code
            if got != status:
                wrong.append(f"{name} as {user}: {got}, expected {status}")
    # Both lists at once: a page left out must not hide a page that answers wrongly.
    assert (unlisted, wrong) == ([], []), (
        f"pages with no expected access (add them to EXPECTED): {unlisted}\n" + "\n".join(wrong)
    )
