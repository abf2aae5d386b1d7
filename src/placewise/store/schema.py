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
