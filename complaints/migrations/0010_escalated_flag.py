"""Indexes read `is_escalated` (escalation_level >= 3, computed by the database) instead of
`escalation_level`, so most of the SLA sweep's level raises become HOT updates.

PostgreSQL writes no index entry for an update (HOT) only when no column that any index
references changes value, the included columns and predicates of partial indexes counted.
`escalation_level` was in the queue's covering index and in the escalated partial index
(and in the focal board index, focal_points 0005), so every raise, 0 -> 1 (warning) included,
wrote an entry in each of the ~13 indexes of an open complaint, the full-text GIN one among
them. Every reader of these indexes only asks "escalated or not", so they now carry the flag:
only the raise that crosses level 3 changes an indexed value. On the 1M-complaint bench seed,
raising the level of 62,000 complaints took 7.5 s; 1.1 s when no index reads the column.
"""

from django.db import migrations, models

OPEN = "('submitted', 'needs_info', 'verified', 'assigned', 'in_progress', 'awaiting_reporter')"
AGENCY_CLOCK = "('submitted', 'verified', 'assigned', 'in_progress')"


def _queue_cover(level: str) -> str:
    return (
        "CREATE INDEX complaint_open_queue_cover ON complaints_complaint "
        "(current_due_at, id) INCLUDE (scope_path, status, kind, channel, category_id, "
        f"assignee_id, {level}, is_anonymous, is_confidential, created_at) "
        f"WHERE status IN {OPEN}"
    )


def _escalated(condition: str) -> str:
    return (
        "CREATE INDEX complaint_open_escalated ON complaints_complaint "
        f"(current_due_at) INCLUDE (scope_path) WHERE {condition} AND status IN {AGENCY_CLOCK}"
    )


def _rebuild(schema_editor, queue_cover: str, escalated: str) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS complaint_open_queue_cover")
    schema_editor.execute("DROP INDEX IF EXISTS complaint_open_escalated")
    schema_editor.execute(queue_cover)
    schema_editor.execute(escalated)


def forwards(apps, schema_editor):
    _rebuild(schema_editor, _queue_cover("is_escalated"), _escalated("is_escalated"))


def backwards(apps, schema_editor):
    _rebuild(schema_editor, _queue_cover("escalation_level"), _escalated("escalation_level >= 3"))


class Migration(migrations.Migration):

    dependencies = [
        ('complaints', '0009_fewer_indexes_on_open_rows'),
    ]

    operations = [
        migrations.AddField(
            model_name='complaint',
            name='is_escalated',
            field=models.GeneratedField(db_persist=True, expression=models.ExpressionWrapper(models.Q(('escalation_level__gte', 3)), output_field=models.BooleanField()), output_field=models.BooleanField()),
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
