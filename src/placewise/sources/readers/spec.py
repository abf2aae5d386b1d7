"""Annex A lists as data: each column's canonical header, the other headers seen for it, its type.

Headers are matched after placewise.sources.values.normalise_header, which already folds case,
curly quotes, doubled brackets and trailing spaces; aliases cover real wording differences.
"""

from dataclasses import dataclass
from enum import StrEnum

from placewise.sources import codes

# The source the council's statutory returns (Annex A, SSDA903, CIN census) and its case system's
# extracts load into, as people say it (sources.naming shows a source's title on pages).
COUNCIL_TITLE = "Children's social care records"


class Kind(StrEnum):
    """What a column holds, which says how a cell is read and checked (readers/tabular.py)."""

    TEXT = "text"
    DATE = "date"
    CODE = "code"
    YES_NO = "yes_no"
    NUMBER = "number"
    SEX = "sex"


@dataclass(frozen=True)
class Column:
    """One column of a statutory table: its key, canonical header, other headers seen, and type."""

    key: str
    header: str
    kind: Kind = Kind.TEXT
    aliases: tuple[str, ...] = ()
    required: bool = False
    codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class TableSpec:
    """A table of a statutory return and the event each of its rows records."""

    name: str
    subject: str
    event_kind: str
    columns: tuple[Column, ...]
    start: str | None  # key of the column that dates the event
    end: str | None = None
    code: str | None = None
    person_is_child: bool = True
    identity: bool = True  # whether rows carry identity fields worth sending to the enclave
    child_id: str = "child_id"


CHILD_ID = Column(
    "child_id",
    "Child Unique ID",
    required=True,
    aliases=("Child ID", "Child Identifier", "ChildID", "Child Unique Identifier"),
)
GENDER = Column("gender", "Gender", Kind.SEX, aliases=("Sex",))
ETHNICITY = Column("ethnicity", "Ethnicity", Kind.CODE, codes=codes.ETHNICITY)
DOB = Column("dob", "Date of Birth", Kind.DATE, aliases=("DOB",))
AGE = Column("age", "Age of Child (Years)", Kind.NUMBER, aliases=("Age",))
DISABILITY = Column(
    "disability", "Does the Child have a Disability", Kind.YES_NO, aliases=("Disability",)
)
TEAM = Column("team", "Allocated Team")
WORKER = Column("worker", "Allocated Worker")
COMMON = (CHILD_ID, GENDER, ETHNICITY, DOB, AGE)


LISTS: dict[int, TableSpec] = {
    1: TableSpec(
        "List 1",
        "Contacts",
        "contact",
        (
            *COMMON,
            Column("contact_date", "Date of Contact", Kind.DATE, required=True),
            Column("contact_source", "Contact Source", Kind.CODE, codes=codes.REFERRAL_SOURCE),
        ),
        start="contact_date",
        code="contact_source",
    ),
    2: TableSpec(
        "List 2",
        "Early help assessments",
        "early_help_assessment",
        (
            *COMMON,
            Column("eh_start", "Assessment start date", Kind.DATE, required=True),
            Column("eh_end", "Assessment completion date", Kind.DATE),
            Column("eh_org", "Organisation completing assessment"),
        ),
        start="eh_start",
        end="eh_end",
    ),
    3: TableSpec(
        "List 3",
        "Referrals",
        "referral",
        (
            *COMMON,
            Column("referral_date", "Date of referral", Kind.DATE, required=True),
            Column("referral_source", "Referral Source", Kind.CODE, codes=codes.REFERRAL_SOURCE),
            Column("nfa", "Referral NFA?", Kind.YES_NO, aliases=("Referral NFA",)),
            Column("referrals_12m", "Number of Referrals in Last 12 Months", Kind.NUMBER),
            TEAM,
            WORKER,
        ),
        start="referral_date",
        code="referral_source",
    ),
    4: TableSpec(
        "List 4",
        "Assessments",
        "assessment",
        (
            *COMMON,
            DISABILITY,
            Column(
                "assessment_start",
                "Continuous Assessment Start Date",
                Kind.DATE,
                required=True,
                aliases=("Assessment Start Date",),
            ),
            Column("seen", "Child Seen During Continuous Assessment", Kind.YES_NO),
            Column(
                "authorised",
                "Continuous Assessment Date of Authorisation",
                Kind.DATE,
                aliases=("Assessment Date of Authorisation", "Assessment Authorisation Date"),
            ),
            Column(
                "needs_support",
                "Was the child assessed as requiring LA children's social care support?",
                Kind.YES_NO,
            ),
            TEAM,
            WORKER,
        ),
        start="assessment_start",
        end="authorised",
    ),
    5: TableSpec(
        "List 5",
        "Section 47 enquiries and ICPCs",
        "section_47",
        (
            *COMMON,
            DISABILITY,
            Column(
                "s47_start",
                "Strategy discussion initiating Section 47 Enquiry Start Date",
                Kind.DATE,
                required=True,
                aliases=("Section 47 Enquiry Start Date",),
            ),
            Column(
                "icpc_unnecessary",
                "Was an Initial Child Protection Conference deemed unnecessary?",
                Kind.YES_NO,
                aliases=("Was an ICPC deemed unnecessary?",),
            ),
            Column("icpc_date", "Date of Initial Child Protection Conference", Kind.DATE),
            Column(
                "icpc_to_plan",
                "Did the Initial Child Protection Conference Result in a Child Protection Plan",
                Kind.YES_NO,
            ),
            Column("s47_12m", "Number of Section 47 Enquiries in the last 12 months", Kind.NUMBER),
            Column("icpc_12m", "Number of ICPCs in the last 12 months", Kind.NUMBER),
            TEAM,
            WORKER,
        ),
        start="s47_start",
        end="icpc_date",
    ),
    6: TableSpec(
        "List 6",
        "Children in need",
        "cin_episode",
        (
            *COMMON,
            DISABILITY,
            Column("cin_start", "CIN Start Date", Kind.DATE, required=True),
            Column("primary_need", "Primary Need Code", Kind.CODE, codes=codes.PRIMARY_NEED),
            Column("last_seen", "Date Child Was Last Seen", Kind.DATE),
            Column("cin_end", "CIN Closure Date", Kind.DATE),
            Column(
                "closure_reason", "Reason for Closure", Kind.CODE, codes=codes.REASON_FOR_CLOSURE
            ),
            Column("case_status", "Case Status"),
            TEAM,
            WORKER,
        ),
        start="cin_start",
        end="cin_end",
        code="primary_need",
    ),
    7: TableSpec(
        "List 7",
        "Child protection plans",
        "cp_plan",
        (
            *COMMON,
            DISABILITY,
            Column("cpp_start", "Child Protection Plan Start Date", Kind.DATE, required=True),
            Column(
                "initial_category",
                "Initial Category of Abuse",
                Kind.CODE,
                codes=codes.CATEGORY_OF_ABUSE,
            ),
            Column(
                "latest_category",
                "Latest Category of Abuse",
                Kind.CODE,
                codes=codes.CATEGORY_OF_ABUSE,
            ),
            Column("last_visit", "Date of the Last Statutory Visit", Kind.DATE),
            Column("seen_alone", "Was the Child Seen Alone?", Kind.YES_NO),
            Column("latest_review", "Date of latest review conference", Kind.DATE),
            Column("cpp_end", "Child Protection Plan End Date", Kind.DATE),
            Column(
                "epo",
                "Subject to Emergency Protection Order or Protected Under Police Powers in Last Six Months (Y/N)",
                Kind.YES_NO,
            ),
            Column("previous_plans", "Number of Previous Child Protection Plans", Kind.NUMBER),
            TEAM,
            WORKER,
        ),
        start="cpp_start",
        end="cpp_end",
        code="initial_category",
    ),
    8: TableSpec(
        "List 8",
        "Children looked after",
        "cla_period",
        (
            *COMMON,
            Column(
                "uasc",
                "Unaccompanied Asylum Seeking Child (UASC) within the Last 12 Months (Y/N)",
                Kind.YES_NO,
            ),
            DISABILITY,
            Column("cla_start", "Date Started to be Looked After", Kind.DATE, required=True),
            Column(
                "category_of_need",
                "Child's Category of Need",
                Kind.CODE,
                codes=codes.CATEGORY_OF_NEED,
            ),
            Column(
                "second_period",
                "Is this a second or subsequent period of being a Looked After Child within the last 12 months (Y/N)",
                Kind.YES_NO,
            ),
            Column("legal_status_start", "Start date of current legal status", Kind.DATE),
            Column("legal_status", "Child's Legal Status", Kind.CODE, codes=codes.LEGAL_STATUS),
            Column("latest_review", "Date of Latest Statutory Review", Kind.DATE),
            Column("last_visit", "Date of Last Social Work Visit", Kind.DATE),
            Column("permanence_plan", "What is the permanence plan for this child?"),
            Column("last_iro", "Date of Last IRO Visit / Contact to the Child", Kind.DATE),
            Column("last_health", "Date of Last Health Assessment", Kind.DATE),
            Column("last_dental", "Date of Last Dental Check", Kind.DATE),
            Column("placements_12m", "Number of Placements in the Last 12 months", Kind.NUMBER),
            Column("cla_end", "Date Ceased to be Looked After", Kind.DATE),
            Column(
                "reason_ceased",
                "Reason Ceased to be Looked After",
                Kind.CODE,
                codes=codes.REASON_EPISODE_CEASED,
            ),
            Column("placement_start", "Start Date of Most Recent Placement", Kind.DATE),
            Column("placement_type", "Placement Type", Kind.CODE, codes=codes.PLACEMENT_TYPE),
            Column(
                "placement_provider",
                "Placement Provider",
                Kind.CODE,
                codes=codes.PLACEMENT_PROVIDER,
            ),
            Column("placement_postcode", "Placement postcode"),
            Column("placement_urn", "URN of Placement"),
            Column("placement_location", "Placement Location"),
            Column("placement_la", "LA of Placement"),
            Column(
                "missing_12m",
                "Number of Episodes the Child has been 'Missing' from their Placement in the last 12 months",
                Kind.NUMBER,
            ),
            Column(
                "absent_12m",
                "Number of Episodes the Child has been 'Absent' from their Placement in the last 12 months",
                Kind.NUMBER,
            ),
            Column(
                "ri_offered",
                "Was the child offered a Return Interview after their last missing episode (Y/N)?",
                Kind.YES_NO,
            ),
            Column(
                "ri_accepted",
                "Did the child accept a Return Interview after their last missing episode (Y/N)?",
                Kind.YES_NO,
            ),
            TEAM,
            WORKER,
        ),
        start="cla_start",
        end="cla_end",
        code="legal_status",
    ),
    9: TableSpec(
        "List 9",
        "Care leavers",
        "care_leaver",
        (
            *COMMON,
            DISABILITY,
            TEAM,
            WORKER,
            Column("eligibility", "Eligibility Category"),
            Column("in_touch", "LA in Touch"),
            Column("accommodation", "Type of Accommodation"),
            Column("suitable", "Suitability of Accommodation"),
            Column("activity", "Activity Status"),
            Column(
                "uasc",
                "Unaccompanied Asylum Seeking Child (UASC), or formerly UASC if 18 or over (Y/N)",
                Kind.YES_NO,
            ),
            Column("advisor", "Allocated Personal Advisor"),
            Column("pathway_review", "Latest Pathway Plan Review Date", Kind.DATE),
            Column("latest_contact", "Latest Date of Contact", Kind.DATE),
        ),
        start="latest_contact",
    ),
    10: TableSpec(
        "List 10",
        "Adoption decisions",
        "adoption",
        (
            CHILD_ID,
            Column("family_id", "Family identifier"),
            GENDER,
            ETHNICITY,
            DOB,
            AGE,
            DISABILITY,
            Column("entered_care", "Date the Child Entered Care", Kind.DATE, required=True),
            Column(
                "adm_decision",
                "Date of Decision that Child Should be Placed for Adoption",
                Kind.DATE,
            ),
            Column("placement_order", "Date of Placement Order", Kind.DATE),
            Column("matched", "Date of Matching Child and Prospective Adopters", Kind.DATE),
            Column("placed", "Date Placed for Adoption", Kind.DATE),
            Column("adoption_order", "Date of Adoption Order", Kind.DATE),
            Column(
                "no_longer_decision",
                "Date of Decision that Child Should No Longer be Placed for Adoption",
                Kind.DATE,
            ),
            Column("no_longer_reason", "Reason Why Child No Longer Placed for Adoption"),
            Column(
                "ffa_date",
                "Date the child was placed for fostering in FFA or concurrent planning placement",
                Kind.DATE,
            ),
        ),
        start="entered_care",
        end="adoption_order",
    ),
    11: TableSpec(
        "List 11",
        "Adopters",
        "adopter_journey",
        (
            Column("adopter_id", "Individual adopter identifier", required=True),
            Column("family_id", "Family identifier"),
            GENDER,
            ETHNICITY,
            Column("disability", "Disability", Kind.YES_NO),
            Column("ffa", "Is the (prospective) adopter fostering for adoption?", Kind.YES_NO),
            Column("enquiry", "Date enquiry received", Kind.DATE, required=True),
            Column("stage1_start", "Date Stage 1 started", Kind.DATE),
            Column("stage1_end", "Date Stage 1 ended", Kind.DATE),
            Column("stage2_start", "Date Stage 2 started", Kind.DATE),
            Column("stage2_end", "Date Stage 2 ended", Kind.DATE),
            Column("application", "Date application submitted", Kind.DATE),
            Column("approved", "Date application approved", Kind.DATE),
            Column("matched", "Date adopter matched with child(ren)", Kind.DATE),
            Column("placed", "Date child/children placed with adopter(s)", Kind.DATE),
            Column("children_placed", "No. of children placed", Kind.NUMBER),
            Column("adoption_order", "Date of Adoption Order", Kind.DATE),
            Column("left", "Date of leaving adoption process", Kind.DATE),
            Column("left_reason", "Reason for leaving adoption process"),
        ),
        start="enquiry",
        end="approved",
        person_is_child=False,
        child_id="adopter_id",
    ),
}
