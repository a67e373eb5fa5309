"""The authority's chairman is marked on his role, rather than inferred from a viewer without a department.

Every active viewer of an authority (province or district) without a department was taken for its
chairman: each keeps the mark, so nobody loses a right on upgrade. An administrator then unmarks
the viewers who are not.
"""

from django.db import migrations, models


def mark_the_chairmen_as_they_were_inferred(apps, schema_editor):
    Membership = apps.get_model("accounts", "Membership")
    Membership.objects.filter(is_active=True, role="viewer", department__isnull=True, unit__level__lt=3).update(
        is_chairman=True
    )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_notification_kinds_of_the_appeal")]

    operations = [
        migrations.AddField(
            model_name="membership",
            name="is_chairman",
            field=models.BooleanField(
                default=False,
                help_text="Signs the team decision; once the visits have started, may change the team beside its lead.",
                verbose_name="chairman of the People's Committee",
            ),
        ),
        migrations.RunPython(mark_the_chairmen_as_they_were_inferred, migrations.RunPython.noop, elidable=True),
    ]
