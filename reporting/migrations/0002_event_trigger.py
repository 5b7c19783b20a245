from django.db import migrations

# Every new event marks its complaint's facts stale (reporting.models.FactQueue).
POSTGRES_UP = """
CREATE FUNCTION reporting_fact_queue_mark() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO reporting_factqueue (complaint_id)
    SELECT DISTINCT complaint_id FROM new_events
    ON CONFLICT (complaint_id) DO NOTHING;
    RETURN NULL;
END
$$;
CREATE TRIGGER reporting_fact_queue AFTER INSERT ON complaints_complaintevent
    REFERENCING NEW TABLE AS new_events
    FOR EACH STATEMENT EXECUTE FUNCTION reporting_fact_queue_mark();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS reporting_fact_queue ON complaints_complaintevent;
DROP FUNCTION IF EXISTS reporting_fact_queue_mark();
"""
SQLITE_UP = """
CREATE TRIGGER reporting_fact_queue AFTER INSERT ON complaints_complaintevent
BEGIN
    INSERT OR IGNORE INTO reporting_factqueue (complaint_id) VALUES (NEW.complaint_id);
END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS reporting_fact_queue;"


def _run(sql_by_vendor):
    def run(apps, schema_editor):
        sql = sql_by_vendor.get(schema_editor.connection.vendor)
        if sql:
            with schema_editor.connection.cursor() as cur:
                cur.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("reporting", "0001_facts")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_UP, "sqlite": SQLITE_UP}),
            _run({"postgresql": POSTGRES_DOWN, "sqlite": SQLITE_DOWN}),
        )
    ]
