from datetime import date

import pytest

from placewise.sources.canonical import FileRejected
from placewise.sources.readers import cin_census

CHILD = """<Child><ChildIdentifiers><LAchildID>{id}</LAchildID><UPN>A123456789012</UPN>
<PersonBirthDate>2015-06-01</PersonBirthDate>{sex}</ChildIdentifiers>
<ChildCharacteristics><Ethnicity>WBRI</Ethnicity></ChildCharacteristics>
<CINdetails><CINreferralDate>2024-05-01</CINreferralDate><ReferralSource>6</ReferralSource>
<PrimaryNeedCode>N1</PrimaryNeedCode><CINclosureDate>2024-09-01</CINclosureDate>
<ReasonForClosure>RC7</ReasonForClosure><ReferralNFA>0</ReferralNFA>
<Assessments><AssessmentActualStartDate>2024-05-02</AssessmentActualStartDate>
<AssessmentAuthorisationDate>2024-06-20</AssessmentAuthorisationDate></Assessments>
<Section47><S47ActualStartDate>2024-05-03</S47ActualStartDate><DateOfInitialCPC>2024-05-20</DateOfInitialCPC>
<ICPCnotRequired>0</ICPCnotRequired></Section47>
<ChildProtectionPlans><CPPstartDate>2024-05-20</CPPstartDate><InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse>
<LatestCategoryOfAbuse>NEG</LatestCategoryOfAbuse><NumberOfPreviousCPP>0</NumberOfPreviousCPP></ChildProtectionPlans>
</CINdetails></Child>"""


def census(tmp_path, *children, name="c.xml"):
    path = tmp_path / name
    path.write_text(
        '<?xml version="1.0"?><Message><Header/><Children>'
        + "".join(children)
        + "</Children></Message>"
    )
    return path


def test_a_child_becomes_identity_and_events_with_2025_sex_and_older_gender(tmp_path):
    path = census(
        tmp_path,
        CHILD.format(id="A1", sex="<Sex>F</Sex>"),
        CHILD.format(id="A2", sex="<GenderCurrent>1</GenderCurrent>"),
    )
    first, second = list(cin_census.read(path, "council"))
    assert (first.identity.record_id, first.identity.sex, first.identity.date_of_birth) == (
        "A1",
        "F",
        date(2015, 6, 1),
    )
    assert second.identity.sex == "M"
    kinds = [(e.kind, e.start, e.end) for e in first.events]
    assert ("referral", date(2024, 5, 1), None) in kinds
    assert ("cin_episode", date(2024, 5, 1), date(2024, 9, 1)) in kinds
    assert ("assessment", date(2024, 5, 2), date(2024, 6, 20)) in kinds
    assert ("section_47", date(2024, 5, 3), date(2024, 5, 20)) in kinds
    assert ("cp_plan", date(2024, 5, 20), None) in kinds
    assert not first.has_errors


def test_truncated_xml_is_rejected_with_the_line(tmp_path):
    whole = census(tmp_path, CHILD.format(id="A1", sex="<Sex>F</Sex>")).read_text()
    path = tmp_path / "cut.xml"
    path.write_text(whole[: len(whole) // 2])
    with pytest.raises(FileRejected, match="not well formed") as error:
        list(cin_census.read(path, "council"))
    assert error.value.row is not None


def test_an_xml_bomb_is_refused_before_it_expands(tmp_path):
    path = tmp_path / "bomb.xml"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
        "<Message>&lol3;</Message>"
    )
    with pytest.raises(FileRejected, match="XML bombs"):
        list(cin_census.read(path, "council"))


def test_xml_that_is_not_a_census_is_rejected(tmp_path):
    path = tmp_path / "other.xml"
    path.write_text("<?xml version='1.0'?><Invoice><Total>3</Total></Invoice>")
    with pytest.raises(FileRejected, match="not a CIN census"):
        list(cin_census.read(path, "council"))


def test_a_missing_referral_date_is_an_error_on_that_child(tmp_path):
    broken = CHILD.format(id="A1", sex="<Sex>F</Sex>").replace(
        "<CINreferralDate>2024-05-01</CINreferralDate>", ""
    )
    (row,) = list(cin_census.read(census(tmp_path, broken), "council"))
    assert row.has_errors and row.row == 1


def test_liiatools_sample_census(liiatools_samples):
    path = liiatools_samples / "cin_census" / "samples" / "cin-2022.xml"
    rows = list(cin_census.read(path, "council"))
    assert rows and all(r.identity is not None for r in rows)
    assert any(e.kind == "referral" for r in rows for e in r.events)


def test_a_child_repeated_in_the_census_is_flagged(tmp_path):
    path = census(
        tmp_path,
        CHILD.format(id="A1", sex="<Sex>F</Sex>"),
        CHILD.format(id="A1", sex="<Sex>F</Sex>"),
    )
    first, second = list(cin_census.read(path, "council"))
    assert not first.issues
    assert [(i.row, i.severity) for i in second.issues] == [(2, "warning")]
    assert "more than once" in second.issues[0].reason


def test_a_903_xml_return_gets_its_own_message(tmp_path):
    path = tmp_path / "return.xml"
    path.write_text("<?xml version='1.0'?><EXPSSDA903><CHILD><HEADER/></CHILD></EXPSSDA903>")
    with pytest.raises(FileRejected, match="SSDA903 return in XML"):
        list(cin_census.read(path, "council"))
