"""Indicator benchmark: every indicator in the library, per month, for the place and each team,
on a place with 10 million events — placewise's DuckDB SQL against a straightforward pandas
implementation of the same definitions, in the same run, which must agree on every number.

    .venv/bin/python bench/indicators.py [--events 10000000] [--json FILE] [--no-pandas]

--json writes each stage's seconds (generating the events, placewise's indicators, pandas) and
whether the two agreed; bench/compare.py reads it.

Issue 5 targets: under 10 seconds, and at least 10 times faster than pandas.
"""

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

HOME = Path(tempfile.mkdtemp(prefix="placewise-indbench-"))
os.environ["PLACEWISE_HOME"] = str(HOME)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "placewise.config.settings")

import django  # noqa: E402

django.setup()

from placewise.indicators import export, library  # noqa: E402
from placewise.indicators.working_days import bank_holidays  # noqa: E402
from placewise.store import stores  # noqa: E402

TEAMS = ["North", "South", "East", "West", "Central"]
# Share of events by kind (the rest are school absences, which no indicator counts).
KINDS = {
    "contact": 0.16,
    "referral": 0.14,
    "assessment": 0.11,
    "section_47": 0.03,
    "cp_plan": 0.015,
    "cin_episode": 0.11,
    "family_feedback": 0.02,
    "school_suspension": 0.02,
    "cla_episode": 0.02,
    "missing_episode": 0.006,
    "return_interview": 0.005,
    "school_absence": 0.364,
}


# Named, not positional: the store's events table has gained columns since (natural_key).
EVENT_COLUMNS = (
    "token, source, origin, kind, start_date, end_date, code, value, team, attrs, load_id"
)


def generate(events: int) -> None:
    """A place's events straight into the analytic store: a few hundred thousand children over
    five years, a tenth of the council's events duplicated as if from a second return."""
    kinds = list(KINDS)
    bounds = np.cumsum([KINDS[k] for k in kinds]).tolist()
    children = max(events // 8, 1000)
    with stores.analytic() as store:
        store.execute("INSERT INTO loads VALUES (1, now())")
        store.execute(
            f"""
            INSERT INTO events ({EVENT_COLUMNS})
            WITH r AS (
                SELECT i, random() AS k, random() AS a, random() AS b, random() AS c
                FROM range({events}) t(i)),
            e AS (
                SELECT 'T' || (hash(i) % {children}) AS token,
                       CASE {" ".join(f"WHEN k < {b} THEN '{kind}'" for b, kind in zip(bounds, kinds, strict=True))}
                            ELSE 'school_absence' END AS kind,
                       DATE '2021-01-01' + CAST(a * 1800 AS INTEGER) AS start_date,
                       b, c
                FROM r)
            SELECT token,
                   CASE WHEN kind IN ('family_feedback') THEN 'feedback'
                        WHEN kind LIKE 'school%' THEN 'schools' ELSE 'council_csc' END,
                   'annex_a', kind, start_date,
                   CASE WHEN kind IN ('assessment', 'section_47')
                          THEN start_date + CAST(1 + b * 90 AS INTEGER)
                        WHEN kind = 'cla_episode' AND b > 0.15
                          THEN start_date + CAST(b * 700 AS INTEGER)
                        WHEN kind = 'missing_episode' THEN start_date + CAST(b * 4 AS INTEGER)
                        WHEN kind IN ('cp_plan', 'cin_episode') AND b > 0.2
                          THEN start_date + CAST(b * 900 AS INTEGER)
                        ELSE NULL END,
                   NULL,
                   CASE WHEN kind = 'family_feedback' THEN 1 + floor(c * 5) ELSE NULL END,
                   ['North', 'South', 'East', 'West', 'Central'][1 + CAST(floor(c * 5) AS INTEGER)],
                   CASE WHEN kind = 'cp_plan' THEN json_object('previous_plans', CAST(c < 0.2 AS INTEGER))
                        WHEN kind = 'cla_episode'
                          THEN json_object('rne', ['S', 'P', 'P', 'L', 'T'][1 + CAST(floor(b * 5) AS INTEGER)])
                        ELSE NULL END,
                   1
            FROM e
            """
        )
        # A month of birth for every child (long-term placement stability asks who is under 16).
        store.execute(
            f"INSERT INTO records (token, source, month_of_birth, load_id) "
            f"SELECT 'T' || i, 'council_csc', "
            f"date_trunc('month', DATE '2006-01-01' + CAST(hash(i) % 6000 AS INTEGER)), 1 "
            f"FROM range({children}) t(i)"
        )
        # The same referral, assessment or episode in a second return (the CIN census).
        store.execute(
            f"INSERT INTO events ({EVENT_COLUMNS}) "
            "SELECT token, source, 'cin', kind, start_date, end_date, code, "
            "value, NULL, attrs, load_id FROM events WHERE source = 'council_csc' "
            "AND kind <> 'contact' AND hash(token || start_date) % 10 = 0"
        )
    (HOME / "population.csv").write_text(
        "year,children\n" + "".join(f"{y},{children * 4}\n" for y in range(2021, 2027))
    )


def pandas_indicators(indicators: dict[str, library.Indicator]) -> dict[tuple, tuple]:
    """The same definitions, written the way an analyst would in pandas."""
    with stores.analytic(read_only=True) as store:
        raw = store.execute(
            "SELECT * FROM events WHERE load_id IN (SELECT load_id FROM loads)"
        ).df()
    raw["start_date"] = pd.to_datetime(raw["start_date"]).astype("datetime64[ns]")
    raw["end_date"] = pd.to_datetime(raw["end_date"]).astype("datetime64[ns]")
    holidays = np.array(
        [d for y in range(1990, 2046) for d in bank_holidays(y)], dtype="datetime64[D]"
    )
    population = {2021 + i: 0 for i in range(6)}
    for line in (HOME / "population.csv").read_text().splitlines()[1:]:
        y, n = line.split(",")
        population[int(y)] = int(n)
    with stores.analytic(read_only=True) as store:
        births = store.execute("SELECT token, month_of_birth FROM records").df()
    births = (
        births.assign(month_of_birth=pd.to_datetime(births["month_of_birth"]))
        .groupby("token")["month_of_birth"]
        .max()
    )
    out: dict[tuple, tuple] = {}

    def events(kinds: list[str]) -> pd.DataFrame:
        # Text columns: '' for missing, so max() compares strings only (SQL's max skips NULLs).
        sub = raw[raw["kind"].isin(kinds)].assign(
            team=lambda f: f["team"].fillna(""), attrs=lambda f: f["attrs"].fillna("")
        )
        found = (
            sub.groupby(["token", "source", "kind", "start_date"], dropna=False)
            .agg(
                end_date=("end_date", "max"),
                value=("value", "max"),
                team=("team", "max"),
                attrs=("attrs", "max"),
            )
            .reset_index()
            .rename(columns={"token": "who"})
        )
        return found.replace({"team": {"": None}, "attrs": {"": None}})

    def totals(key: str, frame: pd.DataFrame, n: str, d: str = "d") -> None:
        frame = frame.assign(d=1) if d == "d" and "d" not in frame else frame
        place = frame.groupby("period")[[n, d]].sum()
        for period, row in place.iterrows():
            out[(key, period.date(), None)] = (float(row[n]), float(row[d]))
        teams = frame.dropna(subset=["team"]).groupby(["period", "team"])[[n, d]].sum()
        for (period, team), row in teams.iterrows():
            out[(key, period.date(), team)] = (float(row[n]), float(row[d]))

    def month(series: pd.Series) -> pd.Series:
        return series.dt.to_period("M").dt.to_timestamp()

    for key, ind in indicators.items():
        began = time.perf_counter()
        p = ind.parameters
        others = p.get("others", [])
        ev = events(
            sorted({p["kind"], *([p["then"]] if "then" in p else []), *others})
            if ind.method in ("open_with", "followed_within")
            else [p["kind"]] + ([p["then"]] if "then" in p else [])
        )
        if ind.method == "within_working_days":
            ev = ev[ev["end_date"].notna() & (ev["end_date"] >= ev["start_date"])]
            wd = np.busday_count(
                (ev["start_date"] + pd.Timedelta(days=1)).values.astype("datetime64[D]"),
                (ev["end_date"] + pd.Timedelta(days=1)).values.astype("datetime64[D]"),
                holidays=holidays,
            )
            totals(
                key, ev.assign(period=month(ev["end_date"]), n=(wd <= p["days"]).astype(int)), "n"
            )
        elif ind.method == "prior_within":
            ev = ev[ev["start_date"].notna()].sort_values(["who", "start_date"])
            gap = (ev["start_date"] - ev.groupby("who")["start_date"].shift()).dt.days
            seen = ev["start_date"] >= ev["start_date"].min() + pd.Timedelta(days=p["days"])
            ev, gap = ev[seen], gap[seen]
            totals(
                key,
                ev.assign(period=month(ev["start_date"]), n=(gap <= p["days"]).astype(int)),
                "n",
            )
        elif ind.method == "prior_ever":
            ev = ev[ev["start_date"].notna()].sort_values(["who", "start_date"])
            earlier = ev.groupby("who").cumcount() > 0
            attr = str(p.get("attr", ""))
            recorded = ev["attrs"].map(
                lambda a, attr=attr: json.loads(a).get(attr, 0) if isinstance(a, str) else 0
            )
            hit = earlier | (pd.to_numeric(recorded, errors="coerce").fillna(0) >= 1)
            totals(key, ev.assign(period=month(ev["start_date"]), n=hit.astype(int)), "n")
        elif ind.method == "lasted_at_least":
            first = ev["start_date"].min()
            ev = ev[ev["end_date"].notna()]
            ev = ev[ev["end_date"] >= first + pd.Timedelta(days=p["days"])]
            hit = (ev["end_date"] - ev["start_date"]).dt.days >= p["days"]
            totals(key, ev.assign(period=month(ev["end_date"]), n=hit.astype(int)), "n")
        elif ind.method == "closed_in_month":
            first = ev["start_date"].min().to_period("M").to_timestamp()
            last = ev["end_date"].fillna(ev["start_date"]).max().to_period("M").to_timestamp()
            parts = []
            for m in pd.date_range(first, last, freq="MS"):
                open_ = ev[(ev["start_date"] < m) & (ev["end_date"].isna() | (ev["end_date"] >= m))]
                closed = (open_["end_date"] < m + pd.offsets.MonthBegin(1)).astype(int)
                parts.append(open_.assign(period=m, n=closed.values))
            if parts:
                totals(key, pd.concat(parts), "n")
        elif ind.method == "not_followed_within":
            closed = ev[(ev["kind"] == p["kind"]) & ev["end_date"].notna()].copy()
            later = ev[ev["kind"] == p["then"]][["who", "start_date"]].rename(
                columns={"start_date": "next"}
            )
            data_end = raw["start_date"].max()
            closed = closed[closed["end_date"] + pd.Timedelta(days=p["days"]) <= data_end]
            closed = closed.assign(after=closed["end_date"] + pd.Timedelta(days=1)).sort_values(
                "after"
            )
            later = later.sort_values("next")
            merged = pd.merge_asof(
                closed, later, left_on="after", right_on="next", by="who", direction="forward"
            )
            hit = merged["next"].isna() | (
                (merged["next"] - merged["end_date"]).dt.days > p["days"]
            )
            totals(key, merged.assign(period=month(merged["end_date"]), n=hit.astype(int)), "n")
        elif ind.method == "mean_value":
            ev = ev[ev["value"].notna()]
            totals(key, ev.assign(period=month(ev["start_date"]), n=ev["value"]), "n")
        elif ind.method == "count":
            ev = ev[ev["start_date"].notna()]
            before = set(out)
            totals(key, ev.assign(period=month(ev["start_date"]), n=1), "n")
            for k in set(out) - before:  # a count has no denominator: the SQL gives 1
                out[k] = (out[k][0], 1.0)
        elif ind.method == "seen_within":
            starts = ev[(ev["kind"] == p["kind"]) & ev["start_date"].notna()]
            seen = raw[raw["kind"].isin(p["others"])]
            if p.get("other_sources"):
                seen = seen[seen["source"].isin(p["other_sources"])]
            seen = seen[["token", "start_date"]].rename(
                columns={"token": "who", "start_date": "seen"}
            )
            if p["when"] == "after":
                starts = starts[
                    starts["start_date"] + pd.Timedelta(days=p["days"]) <= raw["start_date"].max()
                ]
            starts = starts.reset_index(drop=True).reset_index(names="row")
            pairs = starts.merge(seen, on="who")
            gap = (pairs["seen"] - pairs["start_date"]).dt.days
            inside = (
                (gap < 0) & (gap >= -p["days"])
                if p["when"] == "before"
                else (gap >= 0) & (gap < p["days"])
            )
            hit_rows = set(pairs.loc[inside, "row"])
            totals(
                key,
                starts.assign(
                    period=month(starts["start_date"]), n=starts["row"].isin(hit_rows).astype(int)
                ),
                "n",
            )
        elif ind.method in ("share_with_attr", "mean_days_between"):
            # The generated place has no care leavers or adoptions: nothing to count either side.
            if len(ev):
                raise SystemExit(f"pandas has no {ind.method} for a place with {p['kind']} events")
        elif ind.method == "open_with":
            totals(key, open_with(ev, raw, p), "n")
        elif ind.method == "stable_placement":
            totals(key, stable_placement(ev, raw, p, births), "n")
        elif ind.method == "followed_within":
            totals(key, followed_within(ev, raw, p, holidays), "n")
        elif ind.method == "rate_per_10000":
            ev = ev[ev["start_date"].notna()]
            counts = ev.groupby(month(ev["start_date"])).size()
            for period, n in counts.items():
                if period.year in population:
                    out[(key, period.date(), None)] = (float(n), population[period.year] / 10000)
        if os.environ.get("BENCH_VERBOSE"):
            print(f"    pandas {key}: {time.perf_counter() - began:.1f} s", flush=True)
    return out


def _month_ends(ev: pd.DataFrame, kind: str, data_end: pd.Timestamp) -> list:
    first = ev.loc[ev["kind"] == kind, "start_date"].min()
    months = pd.date_range(first.to_period("M").to_timestamp(), data_end, freq="MS")
    return [
        (m, m + pd.offsets.MonthEnd(0)) for m in months if m + pd.offsets.MonthEnd(0) <= data_end
    ]


def _attr(frame: pd.DataFrame, name: str) -> pd.Series:
    return frame["attrs"].map(lambda a: json.loads(a).get(name) if isinstance(a, str) else None)


def open_with(ev: pd.DataFrame, raw: pd.DataFrame, p: dict) -> pd.DataFrame:
    """Children with an episode open at each month's end; those with enough other events in the
    window before it."""
    data_end, first = raw["start_date"].max(), ev["start_date"].min()
    episodes = ev[ev["kind"] == p["kind"]]
    other = ev[ev["kind"].isin(p.get("others") or [p["kind"]]) & ev["start_date"].notna()]
    if p.get("other_sources"):
        other = other[other["source"].isin(p["other_sources"])]
    if p.get("attr") and p.get("values"):
        other = other[_attr(other, p["attr"]).isin(p["values"])]
    parts = []
    for month, day in _month_ends(ev, p["kind"], data_end):
        since = day - pd.Timedelta(days=p["days"] - 1) if p.get("days") else month
        if since < first:
            continue
        now = episodes[
            (episodes["start_date"] <= day)
            & (episodes["end_date"].isna() | (episodes["end_date"] > day))
        ]
        people = now.groupby("who")["team"].max()
        near = other[
            (other["start_date"] <= day) & (other["end_date"].isna() | (other["end_date"] >= since))
        ]
        counts = near.groupby("who").size()
        hit = people.index.to_series().map(counts).fillna(0) >= p.get("at_least", 1)
        parts.append(
            pd.DataFrame({"period": month, "team": people.values, "n": hit.astype(int).values})
        )
    return pd.concat(parts) if parts else pd.DataFrame(columns=["period", "team", "n"])


def stable_placement(
    ev: pd.DataFrame, raw: pd.DataFrame, p: dict, births: pd.Series
) -> pd.DataFrame:
    data_end = raw["start_date"].max()
    eps = ev[ev["start_date"].notna()].assign(reason=lambda f: _attr(f, p.get("attr", "rne")))
    first = eps["start_date"].min()
    starts, not_moves = p.get("starts", ["S"]), p.get("not_moves", ["L"])
    parts = []
    for month, day in _month_ends(ev, p["kind"], data_end):
        if day - pd.Timedelta(days=p["care_days"]) < first:
            continue
        now = eps[(eps["start_date"] <= day) & (eps["end_date"].isna() | (eps["end_date"] > day))]
        who = pd.Index(now["who"].unique())
        before = eps[(eps["start_date"] <= day) & eps["who"].isin(who)]
        care = before[before["reason"].isin(starts)].groupby("who")["start_date"].max()
        placed = before[~before["reason"].isin(not_moves)].groupby("who")["start_date"].max()
        frame = pd.DataFrame(
            {
                "care": who.map(care).fillna(first),
                "placed": who.map(placed).fillna(first),
                "born": who.map(births),
            },
            index=who,
        )
        keep = (day - frame["care"]).dt.days >= p["care_days"]
        if p.get("under_age") is not None:
            keep &= frame["born"].notna() & (
                frame["born"] + pd.DateOffset(years=p["under_age"]) > day
            )
        frame = frame[keep]
        hit = (day - frame["placed"]).dt.days >= p["placement_days"]
        parts.append(pd.DataFrame({"period": month, "team": None, "n": hit.astype(int).values}))
    return pd.concat(parts) if parts else pd.DataFrame(columns=["period", "team", "n"])


def followed_within(
    ev: pd.DataFrame, raw: pd.DataFrame, p: dict, holidays: np.ndarray
) -> pd.DataFrame:
    data_end = raw["start_date"].max()
    at = "start_date" if p.get("from", "start") == "start" else "end_date"
    base = ev[(ev["kind"] == p["kind"]) & ev[at].notna()]
    if p.get("sources"):
        base = base[base["source"].isin(p["sources"])]
    base = base[["who", at, "team"]].rename(columns={at: "at"}).sort_values("at")
    later = ev[(ev["kind"] == p["then"]) & ev["start_date"].notna()][["who", "start_date"]]
    later = later.rename(columns={"start_date": "followed"}).sort_values("followed")
    paired = pd.merge_asof(
        base, later, left_on="at", right_on="followed", by="who", direction="forward"
    )
    working = bool(p.get("working_days"))
    horizon = p.get("horizon")
    wait = horizon if horizon is not None else (p["days"] * 7 // 5 + 5 if working else p["days"])
    paired = paired[paired["at"] + pd.Timedelta(days=wait) <= data_end]
    if horizon is not None:
        paired = paired[
            paired["followed"].notna() & ((paired["followed"] - paired["at"]).dt.days <= horizon)
        ]
    done = paired["followed"].notna()
    elapsed = pd.Series(np.inf, index=paired.index)
    if working:
        elapsed[done] = np.busday_count(
            (paired.loc[done, "at"] + pd.Timedelta(days=1)).values.astype("datetime64[D]"),
            (paired.loc[done, "followed"] + pd.Timedelta(days=1)).values.astype("datetime64[D]"),
            holidays=holidays,
        )
    else:
        elapsed[done] = (paired.loc[done, "followed"] - paired.loc[done, "at"]).dt.days
    return paired.assign(
        period=paired["at"].dt.to_period("M").dt.to_timestamp(),
        n=(elapsed <= p["days"]).astype(int),
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--json", metavar="FILE", help="also write each stage's seconds here")
    parser.add_argument(
        "--no-pandas", action="store_true", help="time placewise only (no pandas, no agreement)"
    )
    args = parser.parse_args()
    print(f"generating {args.events:,} events …", flush=True)
    started = time.perf_counter()
    generate(args.events)
    generate_secs = time.perf_counter() - started
    with stores.analytic(read_only=True) as store:
        total = store.execute("SELECT count(*) FROM events").fetchall()[0][0]
    indicators = library.load()
    print(f"{total:,} events; {len(indicators)} indicators. placewise (DuckDB) …", flush=True)
    started = time.perf_counter()
    rows = export.table(indicators)
    ours_secs = time.perf_counter() - started
    stages = {"generate": generate_secs, "placewise": ours_secs}
    summary = {"events": total, "indicators": len(indicators), "rows": len(rows)}
    if args.no_pandas:
        print(f"  {ours_secs:.1f} s, {len(rows):,} rows.")
        if args.json:
            Path(args.json).write_text(json.dumps({**summary, "stages": stages}, indent=1))
        return
    ours = {
        (r.indicator, r.period, None if r.team == export.PLACE else r.team): (
            r.numerator,
            r.denominator,
        )
        for r in rows
    }
    print(f"  {ours_secs:.1f} s, {len(rows):,} rows. pandas …", flush=True)
    started = time.perf_counter()
    theirs = pandas_indicators(indicators)
    pandas_secs = time.perf_counter() - started
    stages["pandas"] = pandas_secs
    print(f"  {pandas_secs:.1f} s, {len(theirs):,} rows.")
    missing = set(ours) ^ set(theirs)
    differ = [
        k
        for k in set(ours) & set(theirs)
        if any(abs(a - b) > 1e-9 for a, b in zip(ours[k], theirs[k], strict=True))
    ]
    print(f"\nrows only one side has: {len(missing)}; rows whose numbers differ: {len(differ)}")
    for k in sorted(missing, key=str)[:5]:
        print("  only in", "placewise" if k in ours else "pandas", k)
    for k in sorted(differ, key=str)[:5]:
        print("  differs", k, ours[k], theirs[k])
    print(
        f"\n{total:,} events: placewise {ours_secs:.1f} s (target < 10 s), pandas {pandas_secs:.1f} s; "
        f"placewise is {pandas_secs / ours_secs:.1f} times faster (target >= 10)"
    )
    if args.json:
        agreed = {"only_one_side": len(missing), "differ": len(differ)}
        Path(args.json).write_text(
            json.dumps({**summary, "stages": stages, "agreement": agreed}, indent=1)
        )
    if missing or differ:
        sys.exit(1)


if __name__ == "__main__":
    main()
