import secrets

from django.db import migrations, models

import complaints.models


def give_each_its_own_key(apps, schema_editor):
    # AddField filled existing rows with one default value: each gets its own.
    Attachment = apps.get_model("complaints", "Attachment")
    batch = []
    for attachment in Attachment.objects.only("pk").iterator(chunk_size=2000):
        attachment.key = secrets.token_urlsafe(16)
        batch.append(attachment)
        if len(batch) == 2000:
            Attachment.objects.bulk_update(batch, ["key"])
            batch = []
    if batch:
        Attachment.objects.bulk_update(batch, ["key"])


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0018_category_guidance_en"),
    ]

    operations = [
        migrations.AddField(
            model_name="attachment",
            name="key",
            field=models.CharField(
                default=complaints.models.new_attachment_key, editable=False, max_length=32
            ),
        ),
        migrations.RunPython(give_each_its_own_key, migrations.RunPython.noop),
    ]
