"""The beat sweeps: `plan` (what they share), `sla` (PostgreSQL, set-based), `portable` (the
ORM path for SQLite), `followups`, `outbox`. Only services and jobs write complaint tables."""
