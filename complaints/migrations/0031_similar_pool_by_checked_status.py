"""The newest open complaints of a category carry their status and id (PostgreSQL only), so that
"Laporan serupa" reads its pool of checked complaints from the index alone, however many
unchecked ones were filed on top of them (complaints.selectors.public.complaint_similar_for_filing).
"""

from django.db import migrations

OPEN = "('submitted', 'needs_info', 'verified', 'assigned', 'in_progress', 'awaiting_reporter')"
WITH_STATUS = (
    "CREATE INDEX complaint_open_category_created ON complaints_complaint "
    f"(category_id, created_at DESC) INCLUDE (status, id) WHERE status IN {OPEN}"
)
WITHOUT_STATUS = (
    "CREATE INDEX complaint_open_category_created ON complaints_complaint "
    f"(category_id, created_at DESC) WHERE status IN {OPEN}"
)
DROP = "DROP INDEX IF EXISTS complaint_open_category_created"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(DROP)
    schema_editor.execute(WITH_STATUS)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(DROP)
    schema_editor.execute(WITHOUT_STATUS)


class Migration(migrations.Migration):
    dependencies = [("complaints", "0030_intake_message_kind")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
