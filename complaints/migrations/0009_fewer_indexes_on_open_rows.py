"""Fewer indexes on an open complaint, so each update of one (the SLA sweep raises the
ladder level of tens of thousands at once) writes fewer index entries:

- the full-text GIN index over every complaint becomes one over closed and archived ones,
  beside complaint_open_search_gin over open ones (0002): each row is in one of them, and a
  search spells its match out per half (complaints.queue._search_q);
- the category and unit foreign keys lose their plain indexes: open complaints by category
  are in complaint_open_category_created, reads by unit go through scope_path and the board
  index, and only a rare PROTECT check on deleting a category or agency reads the rest.
"""

import django.db.models.deletion
from django.db import migrations, models

VECTOR = "to_tsvector('aduan_id'::regconfig, COALESCE(title, '') || ' ' || COALESCE(body, ''))"
OPEN = "('submitted', 'needs_info', 'verified', 'assigned', 'in_progress', 'awaiting_reporter')"


def split_search_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS complaint_search_gin")
    schema_editor.execute(
        f"CREATE INDEX complaint_closed_search_gin ON complaints_complaint USING gin ({VECTOR}) "
        f"WHERE NOT (status IN {OPEN})"
    )


def join_search_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS complaint_closed_search_gin")
    schema_editor.execute(
        f"CREATE INDEX complaint_search_gin ON complaints_complaint USING gin ({VECTOR})"
    )


class Migration(migrations.Migration):

    dependencies = [
        ('complaints', '0008_scope_indexes'),
    ]

    operations = [
        migrations.RunPython(split_search_index, join_search_index, elidable=False),
        migrations.AlterField(
            model_name='complaint',
            name='category',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='complaints', to='complaints.category'),
        ),
        migrations.AlterField(
            model_name='complaint',
            name='unit',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='unit_complaints', to='complaints.agency'),
        ),
    ]
