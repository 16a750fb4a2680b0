from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Section",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=80, unique=True)),
                (
                    "slug",
                    models.SlugField(
                        help_text="The section's address: /sections/<slug>/.",
                        max_length=80,
                        unique=True,
                    ),
                ),
                (
                    "position",
                    models.PositiveSmallIntegerField(
                        default=0, help_text="Order in the navigation bar, smallest first."
                    ),
                ),
                (
                    "description",
                    models.TextField(blank=True, help_text="Shown at the top of the section page."),
                ),
            ],
            options={"ordering": ["position", "name"]},
        ),
    ]
