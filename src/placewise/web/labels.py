"""Plain-English names for the codes the data and the audit log use, so that no page shows
`cin_episode` or `person.read` to a person (issue 15). A code with no name here is shown with
its underscores and dots as spaces, capitalised: readable, and a test lists any that slip by."""

# Kinds of event, in the words of the returns' own guidance (DfE Annex A, SSDA903, CIN census)
# and of the partners who send them.
EVENT_KINDS = {
    "contact": "Contact",
    "early_help_assessment": "Early help assessment",
    "referral": "Referral",
    "assessment": "Assessment",
    "section_47": "Section 47 enquiry",
    "cin_episode": "Child in need episode",
    "cin_plan": "Child in need plan",
    "cp_plan": "Child protection plan",
    "icpc": "Initial child protection conference",
    "cla_period": "Period looked after",
    "cla_episode": "Looked-after episode",
    "cla_review": "Looked-after review",
    "cla_outcomes": "Looked-after outcomes (health and offending)",
    "care_leaver": "Care leaver contact",
    "adoption": "Adoption",
    "adopter_journey": "Adopter's journey",
    "adoption_decision": "Decision that a child should be placed for adoption",
    "adoption_match": "Match with adopters",
    "placed_for_adoption": "Placed for adoption",
    "previous_permanence": "Previous permanence order",
    "missing_episode": "Missing or away from placement",
    "social_worker_episode": "Change of social worker",
    "deprivation_of_liberty": "Deprivation of liberty order",
    "uasc": "Unaccompanied asylum-seeking child",
    "return_interview": "Return home interview",
    "ae_attendance": "A&E attendance",
    "health_visitor_contact": "Health visitor contact",
    "school_absence": "School absence",
    "school_suspension": "School suspension",
    "domestic_abuse_notification": "Domestic abuse notification",
    "family_feedback": "Family feedback survey",
}

# What each kind of audit entry records, as the log's reader would say it.
AUDIT_ACTIONS = {
    "person.read": "Asked to see a person's records",
    "person.not_found": "Looked for a case reference that is not there",
    "person.roles": "Changed someone's roles",
    "organisation.save": "Set up an organisation",
    "agreement.draft": "Drafted a data sharing agreement",
    "agreement.approve": "Approved a data sharing agreement",
    "agreement.active": "Made an agreement active",
    "agreement.suspended": "Suspended an agreement",
    "agreement.expired": "Marked an agreement expired",
    "agreement.dataset": "Added a dataset to a draft agreement",
    "place.set_up": "Set up the place",
    "organisation.add": "Added an organisation",
    "organisation.data_owner": "Named an organisation's data owner",
    "person.invite": "Invited someone",
    "person.invitation_withdrawn": "Withdrew an invitation",
    "person.join": "Accepted an invitation",
    "person.role_given": "Gave someone a role",
    "person.role_taken": "Took a role away",
    "person.deactivate": "Deactivated someone",
    "source.declare": "Declared a source",
    "job.start": "Started a job",
    "job.done": "A job finished",
    "job.failed": "A job failed",
    "job.cancelled": "A job was cancelled",
    "job.cancel": "Cancelled a job",
    "job.retry": "Retried a job",
    "job.download": "Downloaded what a job made",
    "job.files_deleted": "Deleted an old job's files",
    "backup.make": "Made a backup",
    "backup.restore": "Restored from a backup",
    "place_secret.rekey": "Re-keyed the place secret",
    # Names of audit actions, not secrets (bandit reads "secret" in a key as a password).
    "secret_key.rotate": "Rotated the secret key",  # nosec B105
    "secret_key.retire": "Retired old secret keys",  # nosec B105
    "source.register": "Registered a source",
    "load.loaded": "Loaded a file",
    "load.rejected": "Rejected a file",
    "load.refused": "Refused a file",
    "load.failed": "A load failed",
    "load.recover": "Recovered after an interrupted load",
    "load.staging": "Started a load",
    "load.rejected.dry_run": "Checked a file (rejected)",
    "load.refused.dry_run": "Checked a file (refused)",
    "optout.add": "Recorded an opt-out",
    "retention.purge": "Deleted data past its retention",
    "linkage.run": "Linked records",
    "linkage.review": "Decided whether two records are one person",
    "links.export": "Exported links",
    "indicators.export": "Exported indicators",
    "indicators.download": "Downloaded an indicator's series",
    "indicator.step": "Recorded a step change",
    "cohort.view": "Looked at cohort journeys",
    "review.create": "Started a data review session",
    "review.add_item": "Added an indicator to an agenda",
    "review.discussion": "Recorded a discussion",
    "review.action": "Agreed an action",
    "review.verdict": "Gave a follow-up verdict",
    "review.action_changed": "Changed or reassigned an action",
    "review.action_closed": "Closed an action",
    "review.action_carried": "Carried an action to a later session",
    "review.pack": "Downloaded a review pack",
    "second_factor.check": "Entered a second-factor code",
    "second_factor.setup_started": "Started setting up a second factor",
    "audit.anchor": "Anchored the audit log",
}


def _plain(code: str) -> str:
    words = code.replace("_", " ").replace(".", " ").strip()
    return words[:1].upper() + words[1:]


def event_kind(code: str) -> str:
    """A kind of event in plain English."""
    return EVENT_KINDS.get(code) or _plain(code)


def audit_action(code: str) -> str:
    """An audit entry's action in plain English."""
    return AUDIT_ACTIONS.get(code) or _plain(code)
