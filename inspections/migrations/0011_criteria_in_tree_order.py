"""Number every set's criteria again in tree order.

A criterion added through the editor used to get the set's highest order plus one, so a
sub-criterion added late came after later areas on every page that sorts by order.
"""

from django.db import migrations

from inspections.tree_order import renumbered


def forwards(apps, schema_editor):
    CriteriaSet = apps.get_model("inspections", "CriteriaSet")
    ReviewArea = apps.get_model("inspections", "ReviewArea")
    Criterion = apps.get_model("inspections", "Criterion")
    for set_id in CriteriaSet.objects.values_list("pk", flat=True).iterator():
        areas = list(
            ReviewArea.objects.filter(criteria_set=set_id).order_by("order", "number").values_list("pk", flat=True)
        )
        nodes = list(Criterion.objects.filter(criteria_set=set_id).order_by("order", "code"))
        Criterion.objects.bulk_update(renumbered(areas, nodes), ["order"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("inspections", "0010_history_of_adjustments_and_survey_results")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)]
