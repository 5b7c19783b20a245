"""Leave room on every page of the complaint table for new row versions (fillfactor 85).

An UPDATE that changes no indexed column and whose new row version fits on the same page is a
HOT (heap-only tuple) update: PostgreSQL writes no index entry for it. COPY and plain inserts
fill pages to 100 %, so every update used to move the row to another page and insert into all
~24 indexes of the table. With 15 % of each page kept free, updates of non-indexed columns
(`version`, `updated_at`, the clock dates, the rating…) stay on their page. The setting applies
to pages written from now on; VACUUM FULL or a reload rewrites the existing ones.

The SLA sweep's `escalation_level` updates are NOT made HOT by this alone: the column is read by
three indexes (`complaint_open_queue_cover` and `complaint_open_escalated` of complaints 0002,
`focal_board_open` of focal_points 0002), and any index that references a column, even only in
its predicate, forbids HOT updates of it. Dropping `complaint_open_escalated` halves a full
catch-up sweep over 1,000,000 complaints (37-42 s -> 19 s) but makes the staff home badge and the
"escalated" queue filter of a large agency walk its whole scope (about 0.3-0.4 s instead of a few
milliseconds), so the indexes stay as they are (measured on the 1M-complaint bench seed).

PostgreSQL only: SQLite has no fillfactor.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE complaints_complaint SET (fillfactor = 85)")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE complaints_complaint RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("complaints", "0003_merge_0002_jobs_notification_lease_0002_staff_search")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
