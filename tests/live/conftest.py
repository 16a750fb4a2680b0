import pytest

from tests.factories import EditorFactory, LiveCoverageFactory


@pytest.fixture
def editor(db):
    return EditorFactory()


@pytest.fixture
def coverage(db):
    return LiveCoverageFactory(article__title="Floods in Mường Nhé: live")


@pytest.fixture
def post(editor):
    """Post an entry as an editor through the service."""
    from live.services import entry_post

    def run(coverage, **fields):
        return entry_post(coverage=coverage, by=editor, **fields)

    return run
