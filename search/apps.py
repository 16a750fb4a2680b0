from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Reader search: queries over the folded documents, highlighting, the results page."""

    name = "search"
