"""The focal board index carries complaints' `is_escalated` instead of `escalation_level`
(see complaints 0010: the SLA sweep's level raises become HOT updates)."""

from django.db import migrations

OPEN = "('submitted', 'needs_info', 'verified', 'assigned', 'in_progress', 'awaiting_reporter')"


def _board(level: str) -> str:
    return (
        "CREATE INDEX focal_board_open ON complaints_complaint "
        f"(agency_id, current_due_at) INCLUDE (unit_id, {level}, status) WHERE status IN {OPEN}"
    )


def _rebuild(schema_editor, sql: str) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS focal_board_open")
    schema_editor.execute(sql)


def forwards(apps, schema_editor):
    _rebuild(schema_editor, _board("is_escalated"))


def backwards(apps, schema_editor):
    _rebuild(schema_editor, _board("escalation_level"))


class Migration(migrations.Migration):

    dependencies = [
        ('complaints', '0010_escalated_flag'),
        ('focal_points', '0004_focal_board_past_due'),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
