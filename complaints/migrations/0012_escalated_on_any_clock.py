"""`is_escalated` covers every clock that escalates: the current one, the resolution clock and
the hard ceiling. A complaint whose resolution clock or 60-day ceiling reached the focal
point's level now shows as escalated in the staff queue, the role home and the focal board,
not only one whose current clock did.

A generated column cannot be altered: it is dropped (PostgreSQL drops the three indexes that
read it with it) and added again, then the indexes are rebuilt, the focal board's (first
built by focal_points 0002) included.
"""

from django.db import migrations, models

OPEN = "('submitted', 'needs_info', 'verified', 'assigned', 'in_progress', 'awaiting_reporter')"
AGENCY_CLOCK = "('submitted', 'verified', 'assigned', 'in_progress')"
INDEXES = {
    "complaint_open_queue_cover": (
        "CREATE INDEX complaint_open_queue_cover ON complaints_complaint "
        "(current_due_at, id) INCLUDE (scope_path, status, kind, channel, category_id, "
        "assignee_id, is_escalated, is_anonymous, is_confidential, created_at) "
        f"WHERE status IN {OPEN}"
    ),
    "complaint_open_escalated": (
        "CREATE INDEX complaint_open_escalated ON complaints_complaint "
        f"(current_due_at) INCLUDE (scope_path) WHERE is_escalated AND status IN {AGENCY_CLOCK}"
    ),
    "focal_board_open": (
        "CREATE INDEX focal_board_open ON complaints_complaint "
        "(agency_id, current_due_at) INCLUDE (unit_id, is_escalated, status) "
        f"WHERE status IN {OPEN}"
    ),
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in INDEXES.values():
            schema_editor.execute(sql)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def _flag(*levels: str) -> models.GeneratedField:
    q = models.Q()
    for level in levels:
        q |= models.Q((f"{level}__gte", 3))
    return models.GeneratedField(
        db_persist=True,
        expression=models.ExpressionWrapper(q, output_field=models.BooleanField()),
        output_field=models.BooleanField(),
    )


class Migration(migrations.Migration):

    dependencies = [
        ('complaints', '0011_finished_created_index'),
        ('focal_points', '0005_board_index_escalated_flag'),
    ]

    operations = [
        migrations.RunPython(drop_indexes, create_indexes, elidable=False),
        migrations.RemoveField(model_name='complaint', name='is_escalated'),
        migrations.AddField(
            model_name='complaint',
            name='is_escalated',
            field=_flag(
                'escalation_level', 'resolution_escalation_level', 'ceiling_escalation_level'
            ),
        ),
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
