"""Running a place: backups and restores, re-keying the place secret, rotating the Django secret
key and the logs (docs/operating.md). Commands in operations/commands.py."""
