"""The database cache's table (settings.CACHES), created with the rest of the schema."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("nct_monitor", "0003_import_run")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
