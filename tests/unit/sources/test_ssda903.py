from datetime import date

from placewise.sources.readers import ssda903


def test_tables_are_recognised_by_their_columns_in_any_order_and_case():
    assert (
        ssda903.recognise(
            [
                "child",
                "DECOM",
                "RNE",
                "LS",
                "CIN",
                "PLACE",
                "PLACE_PROVIDER",
                "DEC",
                "REC",
                "REASON_PLACE_CHANGE",
                "HOME_POST",
                "PL_POST",
                "URN",
            ]
        ).name
        == "episodes"
    )
    assert ssda903.recognise(["MIS_END", "MIS_START", "MISSING", "DOB", "CHILD"]).name == "missing"
    assert ssda903.recognise(["CHILD", "DOB", "SOMETHING"]) is None


def test_episodes_rows_become_events_with_postcodes_cut_to_sectors(tmp_path):
    path = tmp_path / "e.csv"
    path.write_text(
        "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,"
        "HOME_POST,PL_POST,URN\n"
        "C1,01/04/2024,S,C2,N1,U1,PR1,01/06/2024,X1,,NS4 7AB,NS1 2CD,\n"
    )
    spec = ssda903.recognise(path.read_text().splitlines()[0].split(","))
    (row,) = list(ssda903.read(path, "council", spec))
    event = row.events[0]
    assert (event.kind, event.start, event.end, event.code) == (
        "cla_episode",
        date(2024, 4, 1),
        date(2024, 6, 1),
        "U1",
    )
    assert event.attrs["home_post"] == "NS4 7" and event.attrs["pl_post"] == "NS1 2"
    assert "NS4 7AB" not in repr(event)


def test_a_row_with_extra_fields_is_an_error_on_that_row(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text(
        "CHILD,DOB,MISSING,MIS_START,MIS_END\nC1,01/01/2010,M,01/02/2024,02/02/2024,x\n"
    )
    spec = ssda903.recognise(["CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"])
    (row,) = list(ssda903.read(path, "council", spec))
    assert row.has_errors and row.issues[0].row == 2 and "6 fields" in row.issues[0].reason


def test_an_episode_that_ends_before_it_starts_is_an_error(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("CHILD,DOB,MISSING,MIS_START,MIS_END\nC1,01/01/2010,M,05/02/2024,02/02/2024\n")
    spec = ssda903.recognise(["CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"])
    (row,) = list(ssda903.read(path, "council", spec))
    assert row.has_errors and "before it starts" in row.issues[0].reason


def test_liiatools_sample_episodes(liiatools_samples):
    path = liiatools_samples / "s903" / "samples" / "SSDA903_2020_episodes.csv"
    header = path.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    spec = ssda903.recognise(header)
    assert spec is not None and spec.name == "episodes"
    rows = list(ssda903.read(path, "council", spec))
    assert rows and all(r.events[0].kind == "cla_episode" for r in rows if not r.has_errors)
