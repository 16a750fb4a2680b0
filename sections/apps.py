from django.apps import AppConfig


class SectionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sections"

    def ready(self):
        from pagecache.registry import EVERY_ARTICLE, watch
        from sections.models import Section

        # Every page prints the sections (the navigation) and every article its own.
        watch(Section, articles=EVERY_ARTICLE)
