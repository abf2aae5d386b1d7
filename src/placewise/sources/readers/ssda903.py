"""SSDA903 (children looked after) CSV tables. A table is recognised by its exact column set, as the
DfE validator does, so a file's name is never trusted."""

from collections.abc import Iterator
from pathlib import Path

from placewise.sources import codes
from placewise.sources.canonical import FileRejected, Parsed
from placewise.sources.readers import csvfile
from placewise.sources.readers.spec import Column, Kind, TableSpec
from placewise.sources.readers.tabular import check_header, parse_rows
from placewise.sources.values import normalise_header


def _c(
    name: str,
    kind: Kind = Kind.TEXT,
    key: str | None = None,
    required: bool = False,
    allowed: tuple[str, ...] = (),
) -> Column:
    return Column(key or name.lower(), name, kind, required=required, codes=allowed)


CHILD = _c("CHILD", key="child_id", required=True)
DOB = _c("DOB", Kind.DATE, key="dob")

TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in (
        TableSpec(
            "header",
            "Children looked after: header",
            "",
            (
                CHILD,
                _c("SEX", Kind.SEX, key="gender"),
                DOB,
                _c("ETHNIC", Kind.CODE, key="ethnicity", allowed=codes.ETHNICITY),
                _c("UPN", key="upn"),
                _c("MOTHER", Kind.NUMBER),
                _c("MC_DOB", Kind.DATE),
            ),
            start=None,
        ),
        TableSpec(
            "episodes",
            "Episodes of care",
            "cla_episode",
            (
                CHILD,
                _c("DECOM", Kind.DATE, required=True),
                _c("RNE", Kind.CODE, allowed=codes.REASON_NEW_EPISODE),
                _c("LS", Kind.CODE, allowed=codes.LEGAL_STATUS),
                _c("CIN", Kind.CODE, allowed=codes.CATEGORY_OF_NEED),
                _c("PLACE", Kind.CODE, allowed=codes.PLACEMENT_TYPE),
                _c("PLACE_PROVIDER", Kind.CODE, allowed=codes.PLACEMENT_PROVIDER),
                _c("DEC", Kind.DATE),
                _c("REC", Kind.CODE, allowed=codes.REASON_EPISODE_CEASED),
                _c("REASON_PLACE_CHANGE"),
                _c("HOME_POST"),
                _c("PL_POST"),
                _c("URN"),
            ),
            start="decom",
            end="dec",
            code="place",
            identity=False,
        ),
        TableSpec(
            "reviews",
            "Reviews",
            "cla_review",
            (
                CHILD,
                DOB,
                _c("REVIEW", Kind.DATE, required=True),
                _c("REVIEW_CODE", Kind.CODE, allowed=codes.REVIEW_CODE),
            ),
            start="review",
            code="review_code",
            identity=False,
        ),
        TableSpec(
            "uasc",
            "Unaccompanied asylum-seeking children",
            "uasc",
            (CHILD, _c("SEX", Kind.SEX, key="gender"), DOB, _c("DUC", Kind.DATE)),
            start=None,
            end="duc",
            identity=False,
        ),
        TableSpec(
            "oc2",
            "Outcomes for children looked after",
            "cla_outcomes",
            (
                CHILD,
                DOB,
                *(_c(n, Kind.NUMBER) for n in ("SDQ_SCORE",)),
                _c("SDQ_REASON"),
                *(
                    _c(n, Kind.NUMBER)
                    for n in (
                        "CONVICTED",
                        "HEALTH_CHECK",
                        "IMMUNISATIONS",
                        "TEETH_CHECK",
                        "HEALTH_ASSESSMENT",
                        "SUBSTANCE_MISUSE",
                        "INTERVENTION_RECEIVED",
                        "INTERVENTION_OFFERED",
                    )
                ),
            ),
            start=None,
            identity=False,
        ),
        TableSpec(
            "oc3",
            "Care leavers",
            "care_leaver",
            (
                CHILD,
                DOB,
                _c("IN_TOUCH", Kind.CODE, allowed=codes.IN_TOUCH),
                _c("ACTIV"),
                _c("ACCOM"),
            ),
            start=None,
            code="in_touch",
            identity=False,
        ),
        TableSpec(
            "ad1",
            "Adoptions",
            "adoption_match",
            (
                CHILD,
                DOB,
                _c("DATE_INT", Kind.DATE),
                _c("DATE_MATCH", Kind.DATE),
                _c("FOSTER_CARE", Kind.NUMBER),
                _c("NB_ADOPTR", Kind.NUMBER),
                _c("SEX_ADOPTR"),
                _c("LS_ADOPTR"),
            ),
            start="date_int",
            end="date_match",
            identity=False,
        ),
        TableSpec(
            "placed_for_adoption",
            "Decisions to place for adoption",
            "adoption_decision",
            (
                CHILD,
                DOB,
                _c("DATE_PLACED", Kind.DATE, required=True),
                _c("DATE_PLACED_CEASED", Kind.DATE),
                _c("REASON_PLACED_CEASED"),
            ),
            start="date_placed",
            end="date_placed_ceased",
            identity=False,
        ),
        TableSpec(
            "previous_permanence",
            "Previous permanence",
            "previous_permanence",
            (CHILD, DOB, _c("PREV_PERM"), _c("LA_PERM"), _c("DATE_PERM")),
            start=None,
            code="prev_perm",
            identity=False,
        ),
        TableSpec(
            "missing",
            "Missing or away from placement",
            "missing_episode",
            (
                CHILD,
                DOB,
                _c("MISSING", Kind.CODE, allowed=codes.MISSING_TYPE),
                _c("MIS_START", Kind.DATE, required=True),
                _c("MIS_END", Kind.DATE),
            ),
            start="mis_start",
            end="mis_end",
            code="missing",
            identity=False,
        ),
        TableSpec(
            "sw_episodes",
            "Social worker episodes",
            "social_worker_episode",
            (
                CHILD,
                DOB,
                _c("SW_ID"),
                _c("SW_DECOM", Kind.DATE, required=True),
                _c("SW_DEC", Kind.DATE),
                _c("SW_REASON", Kind.CODE, allowed=codes.SW_REASON),
            ),
            start="sw_decom",
            end="sw_dec",
            code="sw_reason",
            identity=False,
        ),
        TableSpec(
            "dolo",
            "Deprivation of liberty orders",
            "deprivation_of_liberty",
            (CHILD, DOB, _c("DOLO_START", Kind.DATE, required=True), _c("DOLO_END", Kind.DATE)),
            start="dolo_start",
            end="dolo_end",
            identity=False,
        ),
    )
}

_SIGNATURES = {
    frozenset(normalise_header(c.header) for c in spec.columns): spec for spec in TABLES.values()
}


def recognise(header: list[str]) -> TableSpec | None:
    """The SSDA903 table with exactly these columns (in any order, any case), if any."""
    return _SIGNATURES.get(frozenset(normalise_header(h) for h in header))


def read(path: Path, source: str, spec: TableSpec) -> Iterator[Parsed]:
    header = csvfile.read_header(path)
    index, _ = check_header(spec, header)
    if len(index) != len(spec.columns):
        raise FileRejected(f"SSDA903 {spec.name} table needs exactly its columns", row=1)
    yield from parse_rows(
        spec, source, index, csvfile.rows(path), len(header), strict_width=True, origin="ssda903"
    )
