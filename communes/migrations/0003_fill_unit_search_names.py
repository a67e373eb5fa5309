import unicodedata

from django.db import migrations


def fold(text):
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    bare = "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))
    return " ".join(bare.lower().split())


def fill(apps, schema_editor):
    Unit = apps.get_model("communes", "AdministrativeUnit")
    units = list(Unit.objects.only("id", "name"))
    for unit in units:
        unit.search_name = fold(unit.name)
    Unit.objects.bulk_update(units, ["search_name"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("communes", "0002_official_register_kinds_search_and_split_successions")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
