"""Add the rare earth elements, the rare metals the seed documents name, and the REE groups.

Light/heavy split: lanthanum to europium are light, gadolinium to lutetium and yttrium are heavy
(gadolinium opens the heavy series, as in most agency reports). Scandium has no agreed place; it is
filed as light here so that every rare earth element belongs to exactly one of the two groups, and a
curator can move it in the admin.
"""

from django.db import migrations

LIGHT_REE = [
    ("Sc", "scandium", 21),
    ("La", "lanthanum", 57),
    ("Ce", "cerium", 58),
    ("Pr", "praseodymium", 59),
    ("Nd", "neodymium", 60),
    ("Pm", "promethium", 61),
    ("Sm", "samarium", 62),
    ("Eu", "europium", 63),
]
HEAVY_REE = [
    ("Y", "yttrium", 39),
    ("Gd", "gadolinium", 64),
    ("Tb", "terbium", 65),
    ("Dy", "dysprosium", 66),
    ("Ho", "holmium", 67),
    ("Er", "erbium", 68),
    ("Tm", "thulium", 69),
    ("Yb", "ytterbium", 70),
    ("Lu", "lutetium", 71),
]
RARE_METALS = [
    ("Li", "lithium", 3),
    ("Be", "beryllium", 4),
    ("Ti", "titanium", 22),
    ("Ga", "gallium", 31),
    ("Zr", "zirconium", 40),
    ("Nb", "niobium", 41),
    ("Mo", "molybdenum", 42),
    ("In", "indium", 49),
    ("Hf", "hafnium", 72),
    ("Ta", "tantalum", 73),
    ("W", "tungsten", 74),
    ("Re", "rhenium", 75),
]
GROUPS = [
    ("REE", "rare earth elements", LIGHT_REE + HEAVY_REE),
    ("LREE", "light rare earth elements", LIGHT_REE),
    ("HREE", "heavy rare earth elements", HEAVY_REE),
]


def add_metals(apps, schema_editor):
    Metal = apps.get_model("claims", "Metal")
    for category, elements in (
        ("light_ree", LIGHT_REE),
        ("heavy_ree", HEAVY_REE),
        ("rare_metal", RARE_METALS),
    ):
        for symbol, name, number in elements:
            Metal.objects.update_or_create(
                symbol=symbol,
                defaults={"name": name, "atomic_number": number, "category": category},
            )
    for symbol, name, elements in GROUPS:
        group, _ = Metal.objects.update_or_create(
            symbol=symbol, defaults={"name": name, "category": "group", "atomic_number": None}
        )
        group.members.set(Metal.objects.filter(symbol__in=[s for s, _, _ in elements]))


class Migration(migrations.Migration):
    dependencies = [("claims", "0001_initial")]

    operations = [migrations.RunPython(add_metals, migrations.RunPython.noop)]
