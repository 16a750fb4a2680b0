"""Picture renditions built by the task queue (settings.TASKS), not in a reader's request.

When a row stores a new picture or moves its focal point (pictures.models.PictureRenditions),
its transaction asks for build_renditions: with the database backend (NEWSROOM_TASKS=database)
the task is written in that transaction, so it exists exactly when the picture was saved, and
`manage.py db_worker` makes every rendition the public pages show (pictures.renditions
.build_renditions) into the media storage, the bucket in the cluster, and sorl's key-value
store. With the in-process default it runs right after the commit, in the process that saved.

A reader who comes before the worker still gets a correct page: the page makes the renditions
it shows, as before (the task is a warm-up; with the worker down, pages work exactly as they
did without it). A build that fails (the storage unreachable, a source not there yet) is
tried again by the queue, RETRY_SECONDS apart, and is only logged: a picture's save never
waits for it or is undone by it.

The task is told the picture by its file name and focal point, not by its row: what a page
will ask sorl for, whatever row (an article, a library picture, a revision) shows the file.
"""

import logging
from datetime import timedelta
from types import SimpleNamespace

from django.apps import apps
from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks_db import DatabaseBackend

from pictures.renditions import build_renditions as build_every_rendition

logger = logging.getLogger(__name__)

# Between the attempts of a build that failed; after the last, the pages make what is missing.
RETRY_SECONDS = (10, 30, 60, 300, 900, 3600)


class RenditionsNotBuilt(Exception):
    """Some rendition of a picture could not be made (logged by pictures.renditions)."""


def picture_file(*, model: str, field: str, name: str, focal: list[int]):
    """The stored picture `name` of `model`'s `field` (a FieldFile) with its focal point, as a
    page holds it: the same storage, name and crop, without reading the row."""
    model_field = apps.get_model(model)._meta.get_field(field)
    stand_in = SimpleNamespace(**{f"{field}_focal_x": focal[0], f"{field}_focal_y": focal[1]})
    return model_field.attr_class(stand_in, model_field, name)


@task()
def build_renditions(*, model: str, field: str, name: str, focal: list[int], attempt: int = 0):
    """Make every rendition of the picture `name` (see picture_file); when one cannot be
    made, try again later (a backend that runs tasks later, such as the database's) and fail
    this attempt."""
    image = picture_file(model=model, field=field, name=name, focal=focal)
    if build_every_rendition(image):
        return "built"
    backend = build_renditions.get_backend()
    if attempt < len(RETRY_SECONDS) and backend.supports_defer:
        run_after = timezone.now() + timedelta(seconds=RETRY_SECONDS[attempt])
        build_renditions.using(run_after=run_after).enqueue(
            model=model, field=field, name=name, focal=list(focal), attempt=attempt + 1
        )
    raise RenditionsNotBuilt(f"not every rendition of {name} could be made")


def renditions_after_commit(*, model: str, field: str, name: str, focal: tuple[int, int]) -> None:
    """In the transaction that saved the picture `name`: its renditions are built by the task
    queue once it commits (and not at all if it rolls back)."""

    def enqueue():
        build_renditions.enqueue(model=model, field=field, name=name, focal=list(focal))

    # The database backend writes the task into the open transaction (of the primary, where
    # every write goes): it commits or rolls back with the picture.
    if isinstance(build_renditions.get_backend(), DatabaseBackend):
        enqueue()
    else:
        transaction.on_commit(enqueue, robust=True)
