from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    """The unaccent extension for searching Vietnamese with or without its marks.

    Django's extension operations do nothing on other databases, so SQLite (`make run`) migrates as before.
    """

    dependencies = [("inspections", "0005_team_history")]

    operations = [UnaccentExtension()]
