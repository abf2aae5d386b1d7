"""`placewise spc` and `placewise indicators --out`, as an analyst runs them."""

import csv

import openpyxl
import pytest

from placewise.cli import main

pytestmark = pytest.mark.django_db


def test_spc_prints_every_point_with_its_limits_and_rules(tmp_path, capsys):
    series = tmp_path / "series.csv"
    series.write_text(
        "period,value\n" + "".join(f"2024-{m:02d},10\n" for m in range(1, 10)) + "2024-10,20\n"
    )
    assert main(["spc", str(series)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "period,value,mean,lower,upper,rules"
    # Hand-worked (see tests/unit/indicators/test_spc.py): mean 11, limits 11 ± 2.66 × 10/9.
    assert lines[1] == "2024-01,10,11,8.044444,13.955556,run"
    assert lines[10] == "2024-10,20,11,8.044444,13.955556,outside_limits"


def test_spc_on_proportions_and_a_step(tmp_path, capsys):
    series = tmp_path / "p.csv"
    series.write_text(
        "period,numerator,denominator\n2024-01,10,100\n2024-02,20,100\n2024-03,30,100\n"
    )
    assert main(["spc", str(series), "--step", "2024-03"]) == 0
    rows = list(csv.DictReader(capsys.readouterr().out.splitlines()))
    assert [r["mean"] for r in rows] == ["0.15", "0.15", "0.3"]


def test_spc_refuses_a_bad_file_with_row_and_column(tmp_path, capsys):
    series = tmp_path / "bad.csv"
    series.write_text("period,value\n2024-01,1\n2024-02,lots\n")
    assert main(["spc", str(series)]) == 1
    assert "row 3, column 'value'" in capsys.readouterr().err


def test_indicators_export_csv_and_xlsx_hold_the_same_rows(council_loaded, tmp_path):
    own = ["--audience", "own"]
    assert main(["indicators", "--out", str(tmp_path / "i.csv"), *own]) == 0
    assert main(["indicators", "--out", str(tmp_path / "i.xlsx"), *own]) == 0
    with (tmp_path / "i.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    sheet = openpyxl.load_workbook(tmp_path / "i.xlsx").active
    cells = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(cells) > 100
    assert {r["indicator"] for r in rows} >= {
        "assessments_within_45_days",
        "re_referrals_12_months",
    }
    first = rows[0]
    assert (cells[0][0], cells[0][3], float(cells[0][4])) == (
        first["indicator"],
        first["team"],
        float(first["numerator"]),
    )
    assert main(["indicators", "--out", str(tmp_path / "i.pdf")]) == 1


def test_an_analyst_adds_an_indicator_without_python(council_loaded, tmp_path, settings):
    extra = tmp_path / "indicators.toml"
    extra.write_text(
        """
[assessments_within_20_days]
title = "Assessments within 20 working days"
question = "How many assessments are quick?"
method = "within_working_days"
kind = "assessment"
days = 20
numerator = "Assessments authorised within 20 working days"
denominator = "Assessments authorised"
polarity = "up"
"""
    )
    settings.PLACEWISE_INDICATORS_FILE = extra
    out = tmp_path / "i.csv"
    assert main(["indicators", "--out", str(out), "--audience", "own"]) == 0
    with out.open() as handle:
        rows = [r for r in csv.DictReader(handle) if r["team"] == "Place"]
    quick = {
        r["period"]: float(r["numerator"])
        for r in rows
        if r["indicator"] == "assessments_within_20_days"
    }
    in_time = {
        r["period"]: float(r["numerator"])
        for r in rows
        if r["indicator"] == "assessments_within_45_days"
    }
    assert quick and all(quick[p] <= in_time[p] for p in quick)  # 20 days is stricter than 45


def test_the_export_by_default_withholds_what_partners_may_not_see(
    council_loaded, tmp_path, settings
):
    """The default file is the place's figures through the publication path: no team rows, and
    no month whose children number 1 to 9 (or whose complement does) shows its counts."""
    settings.PLACEWISE_DISCLOSURE_THRESHOLD = 10
    settings.PLACEWISE_DISCLOSURE_ROUND_TO = 0
    assert main(["indicators", "--out", str(tmp_path / "own.csv"), "--audience", "own"]) == 0
    assert main(["indicators", "--out", str(tmp_path / "shared.csv")]) == 0
    with (tmp_path / "own.csv").open() as handle:
        exact = {
            (r["indicator"], r["period"]): r for r in csv.DictReader(handle) if r["team"] == "Place"
        }
    with (tmp_path / "shared.csv").open() as handle:
        shared = list(csv.DictReader(handle))
    assert {r["team"] for r in shared} == {"Place"}
    assert len(shared) == len(exact)
    from placewise.indicators.library import load

    indicators = load()
    withheld = 0
    for row in shared:
        truth = exact[(row["indicator"], row["period"])]
        n, d = float(truth["numerator"]), float(truth["denominator"])
        indicator = indicators[row["indicator"]]
        if indicator.is_proportion:
            people = [n, d - n]
        elif indicator.method in ("mean_value", "mean_days_between"):
            people = [d]
        else:
            people = [n]
        if any(0 < c < 10 for c in people):
            withheld += 1
            assert row["numerator"] == row["value"] == "" and row["withheld"], row
        else:
            assert float(row["numerator"]) == n and row["withheld"] == ""
    assert withheld > 0  # the 400-child place has small months: the check above was exercised


def test_a_broken_definition_is_refused_naming_the_key(tmp_path, settings):
    from placewise.indicators import library

    extra = tmp_path / "indicators.toml"
    extra.write_text('[late]\ntitle = "x"\nmethod = "within_working_days"\nkind = "assessment"\n')
    settings.PLACEWISE_INDICATORS_FILE = extra
    with pytest.raises(library.LibraryError) as raised:
        library.load()
    assert (
        "indicators.toml, indicator 'late': missing question, numerator, denominator, polarity, days"
        in str(raised.value)
    )
