"""Linkage benchmark: placewise's Splink linkage against plain deterministic matching on exact
name + date of birth + postcode (what many councils do today), on synthetic places with ground
truth, at default and heavy identifier noise. Prints pair precision / recall / F1, wall time and
peak memory side by side, all from one run.

    .venv/bin/python bench/linkage.py [--children 3000 30000]

Issue 4 targets: F1 >= 0.99 at default noise; >= 0.15 above deterministic at heavy noise.
(Cluster-level metrics, the 1M-record run and the Spark backend are still to come.)
"""

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from measure import measured  # noqa: E402 - the bench folder is not a package

BIN = Path(sys.executable).parent


def deterministic_quality(enclave: Path, truth: Path) -> tuple[float, float, float, int]:
    """Exact (lower-cased) given name, family name, date of birth and postcode; clusters are the
    connected groups of records that agree on all four. Returns precision, recall, F1, records."""
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
    n, true_pairs, found, correct = con.execute("""SELECT (SELECT count(*) FROM m),
        (SELECT count(*) FROM m a JOIN m b ON (a.source, a.record_id) < (b.source, b.record_id)
            AND a.person_id = b.person_id),
        (SELECT count(*) FROM m a JOIN m b ON (a.source, a.record_id) < (b.source, b.record_id)
            AND a.cluster = b.cluster),
        (SELECT count(*) FROM m a JOIN m b ON (a.source, a.record_id) < (b.source, b.record_id)
            AND a.cluster = b.cluster AND a.person_id = b.person_id)""").fetchone()
    p = correct / found if found else 1.0
    r = correct / true_pairs if true_pairs else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0), n


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--children", type=int, nargs="+", default=[3000, 30000])
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="placewise-linkbench-"))
    rows = []
    for children in args.children:
        for noise in ("default", "heavy"):
            place, home = scratch / f"p{children}{noise}", scratch / f"h{children}{noise}"
            env = {**os.environ, "PLACEWISE_HOME": str(home)}
            print(f"{children:,} children, {noise} noise: synth, ingest, link …", flush=True)
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
            truth = place / "_truth" / "persons.csv"
            linked = measured(
                [str(BIN / "placewise"), "link", "--quiet", "--truth", str(truth)], env
            )
            out = subprocess.run(
                [str(BIN / "placewise"), "link", "--quiet", "--truth", str(truth)],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            f1 = float(out.split("F1 ")[1].split(" ")[0])
            precision = float(out.split("precision ")[1].split(",")[0])
            recall = float(out.split("recall ")[1].split(",")[0])
            dp, dr, df1, records = deterministic_quality(home / "enclave.duckdb", truth)
            rows.append(
                (
                    children,
                    noise,
                    records,
                    precision,
                    recall,
                    f1,
                    linked["seconds"],
                    linked["peak_mib"],
                    dp,
                    dr,
                    df1,
                )
            )
    print()
    print(
        f"{'children':>8} {'noise':>7} {'records':>8} | {'splink P':>8} {'R':>6} {'F1':>6} "
        f"{'secs':>6} {'MiB':>6} | {'exact P':>7} {'R':>6} {'F1':>6} | {'F1 gain':>7}"
    )
    for c, n, rec, p, r, f1, s, mib, dp, dr, df1 in rows:
        print(
            f"{c:>8,} {n:>7} {rec:>8,} | {p:>8.4f} {r:>6.4f} {f1:>6.4f} {s:>6.1f} {mib:>6.0f} | "
            f"{dp:>7.4f} {dr:>6.4f} {df1:>6.4f} | {f1 - df1:>+7.4f}"
        )


if __name__ == "__main__":
    main()
