"""The synthetic council's CIN census: one XML file of every child with an episode."""

from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape  # nosec B406  # writes XML, parses nothing

from placewise.synth.council import CouncilRecords
from placewise.synth.journeys import Episode


def write_cin_census(path: Path, council: CouncilRecords, reference: date) -> None:
    """A CIN census XML (2025+ schema: Sex as M/F/U, yes/no as 0/1), streamed to disk."""
    with path.open("w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="utf-8"?>\n<Message>\n<Header>\n'
            f"<CollectionDetails><Collection>CIN</Collection><Year>{reference.year}</Year>"
            f"<ReferenceDate>{reference.isoformat()}</ReferenceDate></CollectionDetails>\n"
            "<Source><SourceLevel>L</SourceLevel><LEA>999</LEA><SoftwareCode>placewise-synth"
            "</SoftwareCode><Release>1</Release><SerialNo>1</SerialNo>"
            f"<DateTime>{reference.isoformat()}T00:00:00</DateTime></Source>\n</Header>\n"
            "<Children>\n"
        )
        for j in council.journeys:
            if not j.episodes:
                continue
            ident = council.identity[j.council_id]
            parts = [f"<Child><ChildIdentifiers><LAchildID>{escape(j.council_id)}</LAchildID>"]
            if ident.upn:
                parts.append(f"<UPN>{ident.upn}</UPN>")
            parts.append(
                f"<PersonBirthDate>{ident.date_of_birth.isoformat()}</PersonBirthDate>"
                f"<Sex>{ident.sex}</Sex></ChildIdentifiers>"
                f"<ChildCharacteristics><Ethnicity>{j.child.ethnicity}</Ethnicity>"
                "<Disabilities><Disability>NONE</Disability></Disabilities>"
                "</ChildCharacteristics>"
            )
            parts.extend(_cin_details(e) for e in j.episodes)
            parts.append("</Child>\n")
            out.write("".join(parts))
        out.write("</Children>\n</Message>\n")


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def _cin_details(e: Episode) -> str:
    """One episode as a CINdetails block: the referral and what followed it."""
    block = [
        f"<CINdetails><CINreferralDate>{_iso(e.referral_date)}</CINreferralDate>"
        f"<ReferralSource>{e.source}</ReferralSource>"
    ]
    if e.need:
        block.append(f"<PrimaryNeedCode>{e.need}</PrimaryNeedCode>")
    if e.closure:
        block.append(
            f"<CINclosureDate>{_iso(e.closure)}</CINclosureDate>"
            f"<ReasonForClosure>{e.closure_reason}</ReasonForClosure>"
        )
    block.append(f"<ReferralNFA>{1 if e.nfa else 0}</ReferralNFA>")
    if e.assessment:
        block.append(
            f"<Assessments><AssessmentActualStartDate>{_iso(e.assessment[0])}"
            "</AssessmentActualStartDate>"
        )
        if e.assessment[1]:
            block.append(
                f"<AssessmentAuthorisationDate>{_iso(e.assessment[1])}"
                "</AssessmentAuthorisationDate><FactorsIdentifiedAtAssessment>"
                "<AssessmentFactors>21</AssessmentFactors></FactorsIdentifiedAtAssessment>"
            )
        block.append("</Assessments>")
    if e.cin_plan:
        block.append(
            f"<CINPlanDates><CINPlanStartDate>{_iso(e.cin_plan[0])}</CINPlanStartDate>"
            + (f"<CINPlanEndDate>{_iso(e.cin_plan[1])}</CINPlanEndDate>" if e.cin_plan[1] else "")
            + "</CINPlanDates>"
        )
    if e.s47:
        block.append(
            f"<Section47><S47ActualStartDate>{_iso(e.s47[0])}</S47ActualStartDate>"
            + (f"<DateOfInitialCPC>{_iso(e.s47[1])}</DateOfInitialCPC>" if e.s47[1] else "")
            + f"<ICPCnotRequired>{1 if e.s47[2] else 0}</ICPCnotRequired></Section47>"
        )
    if e.cp_plan:
        block.append(
            f"<ChildProtectionPlans><CPPstartDate>{_iso(e.cp_plan[0])}</CPPstartDate>"
            + (f"<CPPendDate>{_iso(e.cp_plan[1])}</CPPendDate>" if e.cp_plan[1] else "")
            + f"<InitialCategoryOfAbuse>{e.cp_plan[2]}</InitialCategoryOfAbuse>"
            f"<LatestCategoryOfAbuse>{e.cp_plan[3]}</LatestCategoryOfAbuse>"
            f"<NumberOfPreviousCPP>{e.previous_plans}</NumberOfPreviousCPP></ChildProtectionPlans>"
        )
    block.append("</CINdetails>")
    return "".join(block)
