"""Runs inside .venv-dfe (Python 3.11, pandas<2), never imported by placewise itself.

Usage: python dfe_runner.py {ssda903|cin_census} YEAR FILE... ; prints a JSON list of findings:
{"rule", "message", "child", "table", "columns", "row"}.
"""

import contextlib
import io
import json
import logging
import os
import sys
import tempfile
import warnings


def _ssda903(year: str, paths: list[str]) -> list[dict]:
    from lac_validator import lac_validator
    from lac_validator.report import Report
    from lac_validator.rules.ruleset_utils import get_year_ruleset
    from lac_validator.utils import process_uploaded_files

    registry = get_year_ruleset(year)
    files = process_uploaded_files({"This year": paths})
    validator = lac_validator.LacValidator(
        metadata={"collectionYear": year, "localAuthority": "E09000027"},
        files=files,
        registry=registry,
        selected_rules=None,
    )
    report = Report(validator.ds_results, registry)
    issues = lac_validator.create_issue_df(report.report, report.error_report)
    return [
        {
            "rule": str(r["rule_code"]),
            "message": str(r["rule_description"]),
            "child": str(r["child_id"]),
            "table": str(r["tables_affected"]),
            "columns": str(r["columns_affected"]),
            "row": None if r["row_id"] != r["row_id"] else int(r["row_id"]),
        }
        for r in issues.to_dict("records")
    ]


# The CIN validator's time grows faster than the number of children (measured: 6.4 ms a child at
# 1,000 children, 13 ms at 11,600), so a census is checked 1,000 whole children at a time. Every
# child's own rules are unaffected; duplicates across children are checked by placewise's reader.
CIN_CHUNK = 1000


def _cin(year: str, paths: list[str]) -> list[dict]:
    import xml.etree.ElementTree as ET  # nosec B405  # builds chunks; parsing is defusedxml

    from cin_validator.cin_validator import CinValidator, convert_data, process_data
    from cin_validator.rules.ruleset_utils import get_year_ruleset

    # The validators run before placewise has read the file, so parse it as safely here.
    from defusedxml.ElementTree import parse

    registry = get_year_ruleset(year)
    findings = []
    for path in paths:
        root = parse(path, forbid_dtd=True).getroot()
        children_element = root.find("Children")
        children = list(children_element) if children_element is not None else []
        for first in range(0, max(len(children), 1), CIN_CHUNK):
            chunk = ET.Element(root.tag)
            for part in root:
                if part.tag != "Children":
                    chunk.append(part)
            ET.SubElement(chunk, "Children").extend(children[first : first + CIN_CHUNK])
            validator = CinValidator(
                process_data(convert_data(chunk)), registry, selected_rules=None
            )
            for r in validator.full_issue_df.to_dict("records"):
                findings.append(
                    {
                        "rule": str(r["rule_code"]),
                        "message": str(r["rule_description"]),
                        "child": str(r.get("child_id", "")),
                        "table": str(r["tables_affected"]),
                        "columns": str(r["columns_affected"]),
                        "row": None,
                    }
                )
    return findings


def main() -> None:
    kind, year, *paths = sys.argv[1:]
    warnings.simplefilter("ignore")
    logging.disable(logging.CRITICAL)
    # The validators log to files in the working directory and print: keep stdout for the JSON.
    with tempfile.TemporaryDirectory() as scratch, contextlib.redirect_stdout(io.StringIO()):
        os.chdir(scratch)
        findings = _ssda903(year, paths) if kind == "ssda903" else _cin(year, paths)
    json.dump(findings, sys.stdout)


if __name__ == "__main__":
    main()
