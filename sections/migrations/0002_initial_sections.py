from django.db import migrations

SECTIONS = [
    (
        "News - Politics",
        "news-politics",
        10,
        "Provincial politics, the Party and the administration.",
    ),
    ("Business", "business", 20, "The economy, agriculture, trade and investment in the province."),
    ("Social Affairs", "social-affairs", 30, "Education, health, security and everyday life."),
    (
        "Culture - Tourism",
        "culture-tourism",
        40,
        "Heritage, festivals, ethnic cultures and travel.",
    ),
]


def create_sections(apps, schema_editor):
    Section = apps.get_model("sections", "Section")
    for name, slug, position, description in SECTIONS:
        Section.objects.get_or_create(
            slug=slug, defaults={"name": name, "position": position, "description": description}
        )


class Migration(migrations.Migration):
    dependencies = [("sections", "0001_initial")]

    # Reversing keeps the sections: articles may already point at them.
    operations = [migrations.RunPython(create_sections, migrations.RunPython.noop)]
