"""Background jobs with progress: uploads, linkage runs and other long work, run by a worker
beside the web server on the Django Tasks API (ADR 0023), each with a record a person can watch."""
