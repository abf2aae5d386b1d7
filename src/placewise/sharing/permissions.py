"""Permissions and roles as data: a role grants a set of permissions; views ask for a permission.

Adding a role or changing what it may do is an edit to ROLE_PERMISSIONS, not to any view.
"""

from enum import StrEnum


class Permission(StrEnum):
    DATA_VIEW_LOADS = "data.view_loads"
    DATA_UPLOAD = "data.upload"
    # Asking to see one person's records. Whether a particular read is allowed is then decided by
    # the policy function against the agreements in force.
    PERSON_VIEW = "person.view"
    AUDIT_VIEW = "audit.view"
    AGREEMENT_VIEW = "agreement.view"
    AGREEMENT_MANAGE = "agreement.manage"
    AGREEMENT_APPROVE = "agreement.approve"
    # Deciding whether two records are the same person (the clerical review queue). Each pair
    # is then a person-level read of both records, decided by the policy function.
    LINKAGE_REVIEW = "linkage.review"
    # Aggregate figures about groups of children (cohort journeys), after disclosure control.
    COHORT_VIEW = "cohort.view"
    # Indicators, signals and dashboards (aggregates, under the agreements and disclosure control).
    OUTCOMES_VIEW = "outcomes.view"
    # Running data review sessions: agendas, interpretations, actions, follow-up verdicts, and the
    # double-loop decisions that retire or redefine an indicator.
    REVIEW_RUN = "review.run"
    # Setting the place up: adding organisations, inviting people, giving and taking away roles,
    # naming each organisation's data owner, deactivating people who leave.
    PLACE_MANAGE = "place.manage"
    # Declaring a source (its provider and mapping file): administrators for any organisation,
    # data owners for their own.
    SOURCE_DECLARE = "source.declare"
    # Practice learning (issue 17). Taking part in peer reviews of casework: presenting one's own
    # case, giving feedback on a colleague's, facilitating; seeing all feedback on one's own.
    PRACTICE_REVIEW = "practice.review"
    # Recording supervision with the people one supervises, and seeing the peer-review feedback
    # they have shared into it.
    SUPERVISE = "practice.supervise"
    # Themes across many peer reviews (never a practitioner named, never fewer than five).
    PRACTICE_THEMES = "practice.themes"
    # Editing the service's review framework (a new version; past reviews keep theirs).
    PRACTICE_FRAMEWORK = "practice.framework"
    # Operational and strategic reviews that start from children's journeys.
    SERVICE_REVIEW_RUN = "service_review.run"
    # Enabling systems leadership (issue 19): curating the approaches library and running the
    # place survey (rounds, links, tagging quotes with themes).
    LEADERSHIP_ENABLE = "leadership.enable"


class Role(StrEnum):
    DATA_OWNER = "data_owner"
    ANALYST = "analyst"
    HEAD_OF_SERVICE = "head_of_service"
    TEAM_MANAGER = "team_manager"
    PRACTITIONER = "practitioner"
    PARTNER_LEAD = "partner_lead"
    ENABLER = "enabler"
    ADMINISTRATOR = "administrator"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


# Roles that may not work without a second factor: they see most data or decide who sees it.
SECOND_FACTOR_REQUIRED = frozenset({Role.DATA_OWNER, Role.ANALYST, Role.ADMINISTRATOR})

P = Permission
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.DATA_OWNER: frozenset(
        {
            P.DATA_VIEW_LOADS,
            P.DATA_UPLOAD,
            P.PERSON_VIEW,
            P.AUDIT_VIEW,
            P.AGREEMENT_VIEW,
            P.AGREEMENT_MANAGE,
            P.AGREEMENT_APPROVE,
            P.LINKAGE_REVIEW,
            P.COHORT_VIEW,
            P.OUTCOMES_VIEW,
            P.SOURCE_DECLARE,
        }
    ),
    Role.ANALYST: frozenset(
        {
            P.DATA_VIEW_LOADS,
            P.DATA_UPLOAD,
            P.PERSON_VIEW,
            P.AGREEMENT_VIEW,
            P.LINKAGE_REVIEW,
            P.COHORT_VIEW,
            P.OUTCOMES_VIEW,
        }
    ),
    Role.HEAD_OF_SERVICE: frozenset(
        {
            P.DATA_VIEW_LOADS,
            P.PERSON_VIEW,
            P.AGREEMENT_VIEW,
            P.COHORT_VIEW,
            P.OUTCOMES_VIEW,
            P.REVIEW_RUN,
            P.PRACTICE_REVIEW,
            P.SUPERVISE,
            P.PRACTICE_THEMES,
            P.PRACTICE_FRAMEWORK,
            P.SERVICE_REVIEW_RUN,
            P.LEADERSHIP_ENABLE,
        }
    ),
    Role.TEAM_MANAGER: frozenset(
        {
            P.PERSON_VIEW,
            P.COHORT_VIEW,
            P.OUTCOMES_VIEW,
            P.REVIEW_RUN,
            P.PRACTICE_REVIEW,
            P.SUPERVISE,
            P.PRACTICE_THEMES,
            P.SERVICE_REVIEW_RUN,
        }
    ),
    Role.PRACTITIONER: frozenset({P.PERSON_VIEW, P.PRACTICE_REVIEW}),
    Role.PARTNER_LEAD: frozenset({P.AGREEMENT_VIEW, P.COHORT_VIEW, P.OUTCOMES_VIEW}),
    Role.ENABLER: frozenset({P.LEADERSHIP_ENABLE}),
    Role.ADMINISTRATOR: frozenset(
        {P.DATA_VIEW_LOADS, P.AGREEMENT_VIEW, P.PLACE_MANAGE, P.SOURCE_DECLARE}
    ),
}
