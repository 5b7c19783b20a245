"""A filing draft files once: its submit key becomes unique among submitted events (the
database's double-submit guard). A key somehow kept by two filings stays on the first only."""

import django.db.models.fields.json
from django.conf import settings
from django.db import migrations, models


DUPLICATE_KEYS_SQL = """
UPDATE {table} e SET data = e.data - 'submit_key'
FROM (
    SELECT id, row_number() OVER (
        PARTITION BY data ->> 'submit_key' ORDER BY created_at, id
    ) AS n
    FROM {table} WHERE type = 'submitted' AND data ? 'submit_key'
) d
WHERE e.id = d.id AND d.n > 1
"""


def keep_the_first_filing_of_each_draft(apps, schema_editor):
    ComplaintEvent = apps.get_model("complaints", "ComplaintEvent")
    if schema_editor.connection.vendor == "postgresql":
        table = schema_editor.quote_name(ComplaintEvent._meta.db_table)
        schema_editor.execute(DUPLICATE_KEYS_SQL.format(table=table))
        return
    seen = set()
    submitted = (
        ComplaintEvent.objects.filter(type="submitted", data__has_key="submit_key")
        .order_by("created_at", "id")
        .only("id", "data")
    )
    for event in submitted.iterator(chunk_size=2000):
        key = event.data.get("submit_key")
        if key in seen:
            event.data = {k: v for k, v in event.data.items() if k != "submit_key"}
            event.save(update_fields=["data"])
        seen.add(key)


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0019_attachment_key"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(keep_the_first_filing_of_each_draft, migrations.RunPython.noop),
        migrations.RemoveIndex(
            model_name="complaintevent",
            name="event_submit_key",
        ),
        migrations.AddConstraint(
            model_name="complaintevent",
            constraint=models.UniqueConstraint(
                django.db.models.fields.json.KeyTransform("submit_key", "data"),
                condition=models.Q(("type", "submitted")),
                name="event_submit_key_once",
            ),
        ),
    ]
