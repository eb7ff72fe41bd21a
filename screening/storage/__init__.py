"""Storage: SQLite through sqlite-utils (connection, migrations, backup), anonymous counts, and
the records of clinicians, links, shares and access. Plain dataclasses out; no web imports."""
