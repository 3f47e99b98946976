"""The fault suite's harness: real servers on free 127.0.0.1 ports (PostgreSQL, Redis, an SMTP sink,
gunicorn, the Huey worker), the controls to stop, hang and kill them, a bounded load driver and readers
of the end state. Standard library, psycopg and aiosmtpd only."""
