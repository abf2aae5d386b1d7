"""What the place's partners hold about the same children, in their own column names.

Schools know pupils by UPN, health by NHS number, the police by name and date of birth only; each
writes dates its own way. A mapping file (TOML) beside each CSV tells placewise which column is which.
"""

import csv
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from placewise.synth.journeys import Journey, add_months
from placewise.synth.noise import Noise, observe
from placewise.synth.people import Child, Identity


@dataclass(frozen=True)
class PartnerFile:
    stem: str
    source: str
    organisation: str
    header: tuple[str, ...]
    mapping: str


SCHOOLS = PartnerFile(
    "schools_attendance",
    "northshire_schools",
    "Northshire Schools Partnership",
    (
        "PupilID",
        "UPN",
        "Forename",
        "Surname",
        "DOB",
        "Gender",
        "Postcode",
        "YearStart",
        "YearEnd",
        "SessionsPossible",
        "SessionsMissed",
        "Suspensions",
    ),
    """[source]
name = "northshire_schools"
title = "Schools' attendance and suspensions"
organisation = "Northshire Schools Partnership"
[identity]
record_id = "PupilID"
given_name = "Forename"
family_name = "Surname"
date_of_birth = "DOB"
date_format = "%d/%m/%Y"
sex = "Gender"
postcode = "Postcode"
upn = "UPN"
[[events]]
kind = "school_absence"
start = "YearStart"
end = "YearEnd"
value = "SessionsMissed"
[[events]]
kind = "school_suspension"
start = "YearStart"
end = "YearEnd"
value = "Suspensions"
when_present = "Suspensions"
""",
)
HEALTH_AE = PartnerFile(
    "health_ae_attendances",
    "northshire_health",
    "Northshire NHS Foundation Trust",
    (
        "MRN",
        "NHSNumber",
        "GivenName",
        "FamilyName",
        "DateOfBirth",
        "Sex",
        "PostCode",
        "AttendanceDate",
    ),
    """[source]
name = "northshire_health"
title = "Hospital and community health records"
organisation = "Northshire NHS Foundation Trust"
[identity]
record_id = "MRN"
given_name = "GivenName"
family_name = "FamilyName"
date_of_birth = "DateOfBirth"
date_format = "%Y-%m-%d"
sex = "Sex"
postcode = "PostCode"
nhs_number = "NHSNumber"
[[events]]
kind = "ae_attendance"
start = "AttendanceDate"
""",
)
HEALTH_VISITING = PartnerFile(
    "health_visiting_contacts",
    "northshire_health",
    "Northshire NHS Foundation Trust",
    (
        "MRN",
        "NHSNumber",
        "GivenName",
        "FamilyName",
        "DateOfBirth",
        "Sex",
        "PostCode",
        "ContactDate",
        "ContactType",
    ),
    """[source]
name = "northshire_health"
title = "Hospital and community health records"
organisation = "Northshire NHS Foundation Trust"
[identity]
record_id = "MRN"
given_name = "GivenName"
family_name = "FamilyName"
date_of_birth = "DateOfBirth"
date_format = "%Y-%m-%d"
sex = "Sex"
postcode = "PostCode"
nhs_number = "NHSNumber"
[[events]]
kind = "health_visitor_contact"
start = "ContactDate"
code = "ContactType"
""",
)
POLICE_MISSING = PartnerFile(
    "police_missing_reports",
    "northshire_police",
    "Northshire Police",
    (
        "Ref",
        "Forename",
        "Surname",
        "DOB",
        "Gender",
        "Address1",
        "Postcode",
        "ReportDate",
        "ReturnDate",
    ),
    """[source]
name = "northshire_police"
title = "Police records of missing children and domestic abuse"
organisation = "Northshire Police"
[identity]
record_id = "Ref"
given_name = "Forename"
family_name = "Surname"
date_of_birth = "DOB"
date_format = "%d/%m/%Y"
sex = "Gender"
postcode = "Postcode"
address = "Address1"
[[events]]
kind = "missing_episode"
start = "ReportDate"
end = "ReturnDate"
""",
)
POLICE_DA = PartnerFile(
    "police_domestic_abuse",
    "northshire_police",
    "Northshire Police",
    ("Ref", "Forename", "Surname", "DOB", "Gender", "Address1", "Postcode", "NotificationDate"),
    """[source]
name = "northshire_police"
title = "Police records of missing children and domestic abuse"
organisation = "Northshire Police"
[identity]
record_id = "Ref"
given_name = "Forename"
family_name = "Surname"
date_of_birth = "DOB"
date_format = "%d/%m/%Y"
sex = "Gender"
postcode = "Postcode"
address = "Address1"
[[events]]
kind = "domestic_abuse_notification"
start = "NotificationDate"
""",
)
FEEDBACK = PartnerFile(
    "family_feedback",
    "northshire_family_feedback",
    "Northshire Council Children's Services",
    (
        "ResponseID",
        "ChildFirstName",
        "ChildSurname",
        "ChildDOB",
        "Postcode",
        "ResponseDate",
        "Team",
        "Score",
    ),
    """[source]
name = "northshire_family_feedback"
title = "Family feedback survey"
organisation = "Northshire Council Children's Services"
[identity]
record_id = "ResponseID"
given_name = "ChildFirstName"
family_name = "ChildSurname"
date_of_birth = "ChildDOB"
date_format = "%d/%m/%Y"
postcode = "Postcode"
[[events]]
kind = "family_feedback"
start = "ResponseDate"
value = "Score"
team = "Team"
""",
)
FILES = (SCHOOLS, HEALTH_AE, HEALTH_VISITING, POLICE_MISSING, POLICE_DA, FEEDBACK)


def _dmy(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


class PartnerWriter:
    """Writes every partner file; records (source, record_id) → person for the ground truth."""

    def __init__(
        self,
        folder: Path,
        rng: random.Random,
        noise: Noise,
        start: date,
        end: date,
        truth: list[tuple[str, str, str]],
    ) -> None:
        self.folder, self.rng, self.noise, self.start, self.end = folder, rng, noise, start, end
        self.truth = truth
        folder.mkdir(parents=True, exist_ok=True)

    def _write(self, spec: PartnerFile, rows: Iterator[list[str]]) -> None:
        (self.folder / f"{spec.stem}.toml").write_text(spec.mapping, encoding="utf-8")
        with (self.folder / f"{spec.stem}.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(spec.header)
            writer.writerows(rows)

    def _seen(self, source: str, record_id: str, child: Child) -> None:
        self.truth.append((source, record_id, child.person_id))

    def write_all(self, children: list[Child], journeys: dict[str, Journey]) -> None:
        self._write(SCHOOLS, self._schools(children, journeys))
        health = {c.person_id: observe(self.rng, c, self.noise) for c in children}
        self._write(HEALTH_AE, self._ae(children, journeys, health))
        self._write(HEALTH_VISITING, self._visiting(children, health))
        self._write(POLICE_MISSING, self._missing(children, journeys))
        self._write(POLICE_DA, self._domestic_abuse(journeys))
        self._write(FEEDBACK, self._feedback(journeys))

    def _schools(self, children: list[Child], journeys: dict[str, Journey]) -> Iterator[list[str]]:
        rng = self.rng
        first_year = self.start.year if self.start.month < 9 else self.start.year + 1
        for child in children:
            pupil = f"SP{child.person_id[1:]}"
            ident = observe(rng, child, self.noise)
            known = False
            journey = journeys.get(child.person_id)
            for year in range(first_year, self.end.year + 1):
                year_start, year_end = date(year, 9, 1), date(year + 1, 7, 31)
                if year_end > self.end:
                    break
                age = year - child.identity.date_of_birth.year
                if not 5 <= age <= 15:
                    continue
                in_need = journey is not None and any(
                    e.referral_date <= year_end
                    and (e.closure or self.end) >= year_start
                    and not e.nfa
                    for e in journey.episodes
                )
                possible = 330
                rate = rng.betavariate(2, 30) * (2.5 if in_need else 1.0)
                missed = min(possible, int(possible * rate))
                suspensions = sum(rng.random() < (0.06 if in_need else 0.01) for _ in range(3))
                known = True
                yield [
                    pupil,
                    ident.upn or "",
                    ident.given_name,
                    ident.family_name,
                    _dmy(ident.date_of_birth),
                    ident.sex,
                    ident.postcode,
                    _dmy(year_start),
                    _dmy(year_end),
                    str(possible),
                    str(missed),
                    str(suspensions),
                ]
            if known:
                self._seen(SCHOOLS.source, pupil, child)

    def _ae(
        self, children: list[Child], journeys: dict[str, Journey], health: dict[str, Identity]
    ) -> Iterator[list[str]]:
        rng = self.rng
        span = (self.end - self.start).days
        for child in children:
            mrn = f"RX{child.person_id[1:]}"
            ident = health[child.person_id]
            rate = 0.6 if child.person_id in journeys else 0.2
            visits = sum(rng.random() < rate for _ in range(int(span / 365)))
            days = sorted(self.start + timedelta(days=rng.randrange(span)) for _ in range(visits))
            days = [d for d in days if d >= child.identity.date_of_birth]
            for day in days:
                yield [
                    mrn,
                    ident.nhs_number or "",
                    ident.given_name,
                    ident.family_name,
                    _iso(ident.date_of_birth),
                    "Male" if ident.sex == "M" else "Female",
                    ident.postcode,
                    _iso(day),
                ]
            if days:
                self._seen(HEALTH_AE.source, mrn, child)

    def _visiting(self, children: list[Child], health: dict[str, Identity]) -> Iterator[list[str]]:
        for child in children:
            born = child.identity.date_of_birth
            visits = [
                (born + timedelta(days=14), "New birth visit"),
                (add_months(born, 12), "One-year review"),
                (add_months(born, 30), "Two-and-a-half-year review"),
            ]
            visits = [(d, kind) for d, kind in visits if self.start <= d <= self.end]
            ident = health[child.person_id]
            mrn = f"RX{child.person_id[1:]}"
            for day, kind in visits:
                yield [
                    mrn,
                    ident.nhs_number or "",
                    ident.given_name,
                    ident.family_name,
                    _iso(ident.date_of_birth),
                    "Male" if ident.sex == "M" else "Female",
                    ident.postcode,
                    _iso(day),
                    kind,
                ]
            if visits:
                self._seen(HEALTH_VISITING.source, mrn, child)

    def _police_row(self, child: Child, ref: str) -> list[str]:
        # The police hold no shared identifier: a name, a date of birth and an address.
        ident = observe(self.rng, child, self.noise.scaled(1.5))
        self._seen("northshire_police", ref, child)
        return [
            ref,
            ident.given_name,
            ident.family_name,
            _dmy(ident.date_of_birth),
            ident.sex,
            ident.address,
            ident.postcode,
        ]

    def _missing(self, children: list[Child], journeys: dict[str, Journey]) -> Iterator[list[str]]:
        n = 0
        for child_id in sorted(journeys):
            journey = journeys[child_id]
            for e in journey.episodes:
                if e.care is None:
                    continue
                for start, end, kind in e.care.missing:
                    if kind != "M":
                        continue
                    n += 1
                    yield [
                        *self._police_row(journey.child, f"MP/{start.year}/{n:06d}"),
                        _dmy(start),
                        _dmy(end),
                    ]

    def _domestic_abuse(self, journeys: dict[str, Journey]) -> Iterator[list[str]]:
        n, rng = 0, self.rng
        for child_id in sorted(journeys):
            journey = journeys[child_id]
            for e in journey.episodes:
                if e.nfa or rng.random() > 0.3:
                    continue
                for _ in range(rng.randrange(1, 4)):
                    day = e.referral_date - timedelta(days=rng.randrange(1, 120))
                    if day < self.start:
                        continue
                    n += 1
                    yield [*self._police_row(journey.child, f"DA/{day.year}/{n:06d}"), _dmy(day)]

    def _feedback(self, journeys: dict[str, Journey]) -> Iterator[list[str]]:
        n, rng = 0, self.rng
        for child_id in sorted(journeys):
            journey = journeys[child_id]
            for e in journey.episodes:
                if e.closure is None or e.nfa or rng.random() > 0.3:
                    continue
                n += 1
                ref = f"FB{n:06d}"
                ident = observe(rng, journey.child, self.noise)
                self._seen(FEEDBACK.source, ref, journey.child)
                score = min(
                    5, max(1, round(rng.gauss(3.8 if e.closure_reason != "RC8" else 3.2, 1)))
                )
                yield [
                    ref,
                    ident.given_name,
                    ident.family_name,
                    _dmy(ident.date_of_birth),
                    ident.postcode,
                    _dmy(e.closure),
                    e.team,
                    str(score),
                ]
