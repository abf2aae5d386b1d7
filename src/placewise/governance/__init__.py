"""Setting a place up in the app: organisations, people invited by link, roles, data owners,
agreements drafted and approved by each party's data owner, and sources declared with their
mapping files (issue 16, item 1)."""
