"""Closed and archived complaints, newest first: the staff queue's default view of them.

They have no deadline, so a view of only closed complaints sorted by deadline sorted every one
of the agency's (66,000 for the largest agency of the 1M-complaint bench seed: about 230 ms;
600 ms sorted by filing date). Walking this index in filing order and checking the scope on
the included column stops after the capped count's 1,001 rows (a few milliseconds); for a
small agency PostgreSQL reads complaint_closed_scope and sorts its few rows instead.
"""

from django.db import migrations

OPEN = "('submitted', 'needs_info', 'verified', 'assigned', 'in_progress', 'awaiting_reporter')"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX complaint_finished_created ON complaints_complaint "
        "(created_at DESC, id DESC) INCLUDE (scope_path, status) "
        f"WHERE NOT (status IN {OPEN})"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS complaint_finished_created")


class Migration(migrations.Migration):

    dependencies = [
        ('complaints', '0010_escalated_flag'),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
