"""Full-text search for the staff queue (PostgreSQL only; SQLite falls back to icontains).

PostgreSQL ships no Indonesian stemmer, so `aduan_id` is a copy of the `simple` configuration:
lowercase, no stemming, no stop words. Having our own name lets a deployment add an Indonesian
dictionary later (ALTER TEXT SEARCH CONFIGURATION) without touching the code or the index
expression. The GIN expression index must stay textually equal to complaints.queue's query.
"""

from django.db import migrations

CREATE_CONFIG = """
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'aduan_id') THEN
        CREATE TEXT SEARCH CONFIGURATION aduan_id (COPY = pg_catalog.simple);
    END IF;
END
$$;
"""
CREATE_INDEX = (
    "CREATE INDEX IF NOT EXISTS complaint_search_gin ON complaints_complaint USING gin "
    "(to_tsvector('aduan_id'::regconfig, COALESCE(title, '') || ' ' || COALESCE(body, '')))"
)
OPEN = "('submitted', 'needs_info', 'verified', 'assigned', 'in_progress', 'awaiting_reporter')"
# The same words over open complaints only: the default queue (and the staff clocks) never look
# at closed ones, and this index is a third of the size of the full one.
CREATE_OPEN_SEARCH_INDEX = (
    "CREATE INDEX IF NOT EXISTS complaint_open_search_gin ON complaints_complaint USING gin "
    "(to_tsvector('aduan_id'::regconfig, COALESCE(title, '') || ' ' || COALESCE(body, ''))) "
    f"WHERE status IN {OPEN}"
)
# Open complaints, most urgent first, carrying every column the queue filters on: the first
# page and the capped count walk it in deadline order and stop early (index-only for the
# count), whatever the scope; the scope prefix is checked on the included column.
CREATE_QUEUE_INDEX = (
    "CREATE INDEX IF NOT EXISTS complaint_open_queue_cover ON complaints_complaint "
    "(current_due_at, id) INCLUDE (scope_path, status, kind, channel, category_id, "
    "assignee_id, escalation_level, is_anonymous, is_confidential, created_at) "
    f"WHERE status IN {OPEN}"
)
# Possible duplicates on the case page: the newest open complaints of one category.
CREATE_CATEGORY_INDEX = (
    "CREATE INDEX IF NOT EXISTS complaint_open_category_created ON complaints_complaint "
    f"(category_id, created_at DESC) WHERE status IN {OPEN}"
)
# "Dieskalasi": few rows at any time, so a partial index makes the badge and the filter cheap
# even when the answer is zero (a capped count of nothing otherwise walks the whole scope).
CREATE_ESCALATED_INDEX = (
    "CREATE INDEX IF NOT EXISTS complaint_open_escalated ON complaints_complaint "
    "(current_due_at) INCLUDE (scope_path) WHERE escalation_level >= 3 AND status IN "
    "('submitted', 'verified', 'assigned', 'in_progress')"
)
DROP = [
    "DROP INDEX IF EXISTS complaint_open_escalated",
    "DROP INDEX IF EXISTS complaint_open_category_created",
    "DROP INDEX IF EXISTS complaint_open_queue_cover",
    "DROP INDEX IF EXISTS complaint_open_search_gin",
    "DROP INDEX IF EXISTS complaint_search_gin",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS aduan_id",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE_CONFIG)
    schema_editor.execute(CREATE_INDEX)
    schema_editor.execute(CREATE_OPEN_SEARCH_INDEX)
    schema_editor.execute(CREATE_QUEUE_INDEX)
    schema_editor.execute(CREATE_CATEGORY_INDEX)
    schema_editor.execute(CREATE_ESCALATED_INDEX)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in DROP:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
