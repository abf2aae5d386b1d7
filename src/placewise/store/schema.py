"""The two DuckDB stores. The analytic store holds no names, dates of birth or addresses; the
enclave holds identifiers and is used for linkage and nothing else."""

# Written by `placewise link` to both stores: which person each source record belongs to.
PERSON_LINKS = """
CREATE TABLE IF NOT EXISTS person_links (
    token VARCHAR NOT NULL,
    person_key VARCHAR NOT NULL,
    cluster_size INTEGER NOT NULL,
    match_probability DOUBLE,
    linked_at TIMESTAMP NOT NULL
);
"""

SUCCESSIVE_LOADS = """
-- Successive returns supersede each other (store/supersede.py, ADR 0016): each event's natural
-- key; what a later load replaced, with the load that replaced it; the period each load covers,
-- per source and kind; and what each load changed, written with its commit.
ALTER TABLE events ADD COLUMN IF NOT EXISTS natural_key VARCHAR;
-- Which return a record came from (as events' origin; a partner's by the identity fields its
-- mapping carries): a record is superseded by the next of the same return, not by another.
ALTER TABLE records ADD COLUMN IF NOT EXISTS origin VARCHAR;
-- Beside `loads`, not in it: `loads` is the commit record, kept to the two columns it has.
CREATE TABLE IF NOT EXISTS load_changes (
    load_id BIGINT PRIMARY KEY,
    period_start DATE,
    period_end DATE,
    changes JSON
);
CREATE TABLE IF NOT EXISTS replaced_events AS
    SELECT *, NULL::BIGINT AS replaced_by FROM events WHERE FALSE;
CREATE TABLE IF NOT EXISTS replaced_records AS
    SELECT *, NULL::BIGINT AS replaced_by FROM records WHERE FALSE;
CREATE TABLE IF NOT EXISTS coverage (
    load_id BIGINT NOT NULL,
    source VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    period_start DATE,
    period_end DATE
);
"""

ANALYTIC = (
    """
CREATE TABLE IF NOT EXISTS loads (
    load_id BIGINT PRIMARY KEY,
    committed_at TIMESTAMP NOT NULL
);
CREATE TABLE IF NOT EXISTS records (
    token VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    month_of_birth DATE,
    sex VARCHAR,
    ethnicity VARCHAR,
    postcode_sector VARCHAR,
    load_id BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS events (
    token VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    origin VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    start_date DATE,
    end_date DATE,
    code VARCHAR,
    value DOUBLE,
    team VARCHAR,
    attrs JSON,
    load_id BIGINT NOT NULL
);
"""
    + PERSON_LINKS
    + SUCCESSIVE_LOADS
)

ENCLAVE = (
    """
CREATE TABLE IF NOT EXISTS identities (
    token VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    record_id VARCHAR NOT NULL,
    given_name VARCHAR,
    family_name VARCHAR,
    date_of_birth DATE,
    sex VARCHAR,
    postcode VARCHAR,
    address VARCHAR,
    nhs_number VARCHAR,
    upn VARCHAR,
    encoded VARCHAR,
    date_of_birth_as_written VARCHAR,
    load_id BIGINT NOT NULL
);
-- Stores made before encoded identities existed gain the column (at the end: inserts go by name).
ALTER TABLE identities ADD COLUMN IF NOT EXISTS encoded VARCHAR;
-- A date of birth that is not a real date, as written (date_of_birth is NULL then): evidence for
-- linkage, never copied to the analytic store.
ALTER TABLE identities ADD COLUMN IF NOT EXISTS date_of_birth_as_written VARCHAR;
"""
    + PERSON_LINKS
)

# The enclave's history of identities a later load replaced (store/supersede.py): kept apart from
# ENCLAVE so that each has one owner; opened with it.
REPLACED_IDENTITIES = """
-- Which return an identity came from, as records' origin: what a return carries is superseded
-- only by the next of the same return (a log of return interviews with no names must not
-- replace the case system's names).
ALTER TABLE identities ADD COLUMN IF NOT EXISTS origin VARCHAR;
CREATE TABLE IF NOT EXISTS replaced_identities AS
    SELECT *, NULL::BIGINT AS replaced_by FROM identities WHERE FALSE;
"""
