"""CIN census XML (Message/Children/Child), streamed one child at a time.

defusedxml refuses DTDs and entity expansion, so an XML bomb is rejected before it can expand;
a truncated file is rejected with the line where it broke. Both 'GenderCurrent' (to 2024) and 'Sex'
(2025 on) are read.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, ParseError  # nosec B405  # types only; defusedxml parses

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from placewise.sources import codes
from placewise.sources.canonical import Event, FileRejected, IdentityRecord, Issue, Parsed
from placewise.sources.identity_checks import IdentityChecks
from placewise.sources.readers import limits
from placewise.sources.values import parse_code, parse_date, parse_sex, parse_yes_no, text


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _find(parent: Element, name: str) -> Element | None:
    for child in parent:
        if _local(child.tag) == name:
            return child
    return None


def _all(parent: Element, name: str) -> list[Element]:
    return [child for child in parent if _local(child.tag) == name]


def _text(parent: Element | None, name: str) -> str | None:
    if parent is None:
        return None
    found = _find(parent, name)
    return text(found.text) if found is not None else None


def read(path: Path, source: str) -> Iterator[Parsed]:
    """Canonical records per Child element; a 'row' is the child's position (1 = first Child)."""
    depth = 0
    root_seen = False
    child_number = 0
    astray = 0  # <Child> elements anywhere but Message/Children, where a census keeps them
    bounds = limits.current()
    children: Element | None = None
    seen: set[str] = set()
    checks = IdentityChecks()
    try:
        context = iterparse(str(path), events=("start", "end"), forbid_dtd=True)
        for event, element in context:
            name = _local(element.tag)
            if event == "start":
                depth += 1
                if depth == 1:
                    root_seen = True
                    if name == "EXPSSDA903":
                        raise FileRejected(
                            "this is an SSDA903 return in XML, which placewise "
                            "does not read yet: export it as the 903 CSV tables"
                        )
                    if name != "Message":
                        raise FileRejected(f"XML root is <{name}>, not a CIN census <Message>")
                if name == "Children" and depth == 2:
                    children = element
                if name == "Child" and depth == 3:
                    child_number += 1
                    bounds.check_count(child_number, child_number)
                elif name == "Child":
                    astray += 1
                continue
            depth -= 1
            if name == "Child" and depth == 2:
                parsed = _child(element, source, child_number, checks)
                if parsed.identity is not None:
                    if parsed.identity.record_id in seen:
                        parsed.issues.append(
                            Issue(
                                "this LAchildID appears more than once in the census; each child "
                                "should have one Child element",
                                child_number,
                                "LAchildID",
                                "warning",
                                "duplicate",
                            )
                        )
                    seen.add(parsed.identity.record_id)
                yield parsed
                if children is not None:
                    children.clear()  # keeps memory flat however many children the file holds
    except ParseError as error:
        line, column = getattr(error, "position", (None, None))
        raise FileRejected(
            f"the XML is not well formed ({error.msg if hasattr(error, 'msg') else error})"
            f"{f' at column {column}' if column else ''}",
            row=line,
        ) from None
    except DefusedXmlException as error:
        raise FileRejected(
            f"the XML uses a forbidden construct ({type(error).__name__}): "
            "DTDs and entities are refused to protect against XML bombs"
        ) from None
    if not root_seen:
        raise FileRejected("the file contains no XML")
    if child_number == 0:
        # Well formed, with a <Message> root, and nobody in it: loading it would report "loaded
        # 0 rows" as though the council had no children in need.
        where = (
            f"its {astray:,} <Child> elements are not inside <Message><Children>"
            if astray
            else "it has no <Child> elements"
        )
        raise FileRejected(f"an XML file, but not a CIN census: {where}")


def _child(child: Element, source: str, row: int, checks: IdentityChecks) -> Parsed:
    issues: list[Issue] = []
    ids = _find(child, "ChildIdentifiers")
    chars = _find(child, "ChildCharacteristics")
    record_id = _text(ids, "LAchildID")
    if record_id is None:
        return Parsed(
            row, issues=[Issue("child has no LAchildID", row, "LAchildID", "error", "required")]
        )
    sex = _text(ids, "Sex") or _text(ids, "GenderCurrent")
    # Not a real date: kept as written for linkage, with a warning (identity_checks.py).
    dob, dob_as_written = checks.birth_date(
        _text(ids, "PersonBirthDate"),
        record_id=record_id,
        row=row,
        column="PersonBirthDate",
        issues=issues,
    )
    ethnicity = parse_code(
        _text(chars, "Ethnicity"), codes.ETHNICITY, row=row, column="Ethnicity", issues=issues
    )
    parsed = Parsed(
        row,
        IdentityRecord(
            source,
            record_id,
            date_of_birth=dob,
            date_of_birth_as_written=dob_as_written,
            sex=parse_sex(sex) if sex else None,
            upn=_text(ids, "UPN"),
            ethnicity=ethnicity,
        ),
        issues=issues,
    )
    disabilities = (
        [text(d.text) for d in _find(chars, "Disabilities") or [] if text(d.text)]
        if chars is not None
        else []
    )
    for details in _all(child, "CINdetails"):
        parsed.events.extend(_episode(details, source, record_id, row, issues, disabilities))
    if parsed.identity is not None:
        # Work before birth is real here (unborn children), so events are not compared.
        checks.whole(
            parsed.identity,
            (),
            row=row,
            columns={"date_of_birth": "PersonBirthDate", "upn": "UPN"},
            issues=issues,
        )
    return parsed


def _date(parent: Element, name: str, row: int, issues: list[Issue]) -> Any:
    return parse_date(_text(parent, name), row=row, column=name, issues=issues)


def _episode(
    details: Element,
    source: str,
    record_id: str,
    row: int,
    issues: list[Issue],
    disabilities: list[str | None],
) -> list[Event]:
    def event(
        kind: str, start: Any, end: Any = None, code: str | None = None, **attrs: Any
    ) -> Event:
        clean = {k: v for k, v in attrs.items() if v is not None}
        return Event(source, record_id, kind, start, end, code, attrs={"origin": "cin", **clean})

    referral_date = _date(details, "CINreferralDate", row, issues)
    if referral_date is None:
        issues.append(
            Issue("CIN episode has no referral date", row, "CINreferralDate", "error", "required")
        )
        return []
    closure = _date(details, "CINclosureDate", row, issues)
    nfa = parse_yes_no(_text(details, "ReferralNFA"), row=row, column="ReferralNFA", issues=issues)
    source_code = parse_code(
        _text(details, "ReferralSource"),
        codes.REFERRAL_SOURCE,
        row=row,
        column="ReferralSource",
        issues=issues,
    )
    need = parse_code(
        _text(details, "PrimaryNeedCode"),
        codes.PRIMARY_NEED,
        row=row,
        column="PrimaryNeedCode",
        issues=issues,
    )
    closure_reason = parse_code(
        _text(details, "ReasonForClosure"),
        codes.REASON_FOR_CLOSURE,
        row=row,
        column="ReasonForClosure",
        issues=issues,
    )
    events = [
        event("referral", referral_date, None, source_code, nfa=nfa, primary_need=need),
        event(
            "cin_episode",
            referral_date,
            closure,
            need,
            closure_reason=closure_reason,
            disabilities=[d for d in disabilities if d] or None,
        ),
    ]
    for block in _all(details, "Assessments"):
        factors = [text(f.text) for f in _find(block, "FactorsIdentifiedAtAssessment") or []]
        events.append(
            event(
                "assessment",
                _date(block, "AssessmentActualStartDate", row, issues),
                _date(block, "AssessmentAuthorisationDate", row, issues),
                factors=[f for f in factors if f] or None,
            )
        )
    for block in _all(details, "CINPlanDates"):
        events.append(
            event(
                "cin_plan",
                _date(block, "CINPlanStartDate", row, issues),
                _date(block, "CINPlanEndDate", row, issues),
            )
        )
    for block in _all(details, "Section47"):
        icpc = _date(block, "DateOfInitialCPC", row, issues)
        events.append(
            event(
                "section_47",
                _date(block, "S47ActualStartDate", row, issues),
                icpc,
                icpc_unnecessary=parse_yes_no(
                    _text(block, "ICPCnotRequired"),
                    row=row,
                    column="ICPCnotRequired",
                    issues=issues,
                ),
            )
        )
    for block in _all(details, "ChildProtectionPlans"):
        reviews = _find(block, "Reviews")
        events.append(
            event(
                "cp_plan",
                _date(block, "CPPstartDate", row, issues),
                _date(block, "CPPendDate", row, issues),
                parse_code(
                    _text(block, "InitialCategoryOfAbuse"),
                    codes.CATEGORY_OF_ABUSE,
                    row=row,
                    column="InitialCategoryOfAbuse",
                    issues=issues,
                ),
                latest_category=_text(block, "LatestCategoryOfAbuse"),
                previous_plans=_text(block, "NumberOfPreviousCPP"),
                reviews=len(list(reviews)) if reviews is not None else 0,
            )
        )
    for item in events:
        if item.start is None:
            issues.append(
                Issue(
                    f"{item.kind.replace('_', ' ')} has no start date",
                    row,
                    None,
                    "error",
                    "required",
                )
            )
        elif item.end is not None and item.end < item.start:
            issues.append(
                Issue(
                    f"{item.kind.replace('_', ' ')} ends before it starts",
                    row,
                    None,
                    "error",
                    "order",
                )
            )
    return events
