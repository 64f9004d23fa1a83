"""Every financial year of the contract, 2020/21 to the last MTFP year 2026/27, with 12 periods."""

from django.db import migrations

FIRST_YEAR = 2020
LAST_YEAR = 2026


def create_years(apps, schema_editor):
    FinancialYear = apps.get_model("nct_monitor", "FinancialYear")
    Period = apps.get_model("nct_monitor", "Period")
    for start_year in range(FIRST_YEAR, LAST_YEAR + 1):
        year, _ = FinancialYear.objects.get_or_create(start_year=start_year)
        for number in range(1, 13):
            Period.objects.get_or_create(year=year, number=number)


class Migration(migrations.Migration):
    dependencies = [("nct_monitor", "0001_initial")]

    operations = [migrations.RunPython(create_years, migrations.RunPython.noop)]
