import pytest


@pytest.fixture
def fragments_only(settings):
    """Every page rendered afresh; only the fragment cache kept."""
    settings.NEWSROOM_PAGE_CACHE = False
    settings.NEWSROOM_FRAGMENT_CACHE = True
