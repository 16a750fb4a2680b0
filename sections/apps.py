from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SectionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sections"
    verbose_name = _("Sections")

    def ready(self):
        from pagecache.registry import EVERY_ARTICLE, watch
        from sections.models import Section

        # Every page prints the sections (the navigation) and every article its own.
        watch(Section, articles=EVERY_ARTICLE)
