import datetime
import importlib
import io

import factory
import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from articles.models import Article, ArticleAuthor, Author
from comments.models import BannedWord, Comment
from editorial.roles import EDITOR, MODERATOR, REPORTER
from sections.models import Section

# Every way an article is not public (for tests that such an article never shows).
NOT_PUBLIC = [
    pytest.param({"status": Article.Status.DRAFT, "published_at": None}, id="draft"),
    pytest.param({"status": Article.Status.UNPUBLISHED}, id="unpublished"),
    pytest.param({"status": Article.Status.IN_REVIEW}, id="in-review"),
    pytest.param({"published_at": timezone.now() + datetime.timedelta(days=1)}, id="scheduled"),
]


def jpeg_bytes(width=1200, height=800, colour=(163, 17, 26)) -> bytes:
    """A plain JPEG picture of one colour."""
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "JPEG")
    return buffer.getvalue()


def jpeg(width=1200, height=800, colour=(163, 17, 26), name="photo.jpg") -> ContentFile:
    """jpeg_bytes() as a file to give an article's image field."""
    return ContentFile(jpeg_bytes(width, height, colour), name=name)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    password = factory.django.Password("correct horse battery staple")


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.Sequence(lambda n: f"section-{n}")
    position = factory.Sequence(lambda n: 100 + n)


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author

    name = factory.Sequence(lambda n: f"Reporter {n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    """A published article, live since an hour ago, unless told otherwise."""

    class Meta:
        model = Article
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Story number {n}")
    lead = "Farmers in the valley bring in an early harvest."
    body = "<p>First paragraph.</p><p>Second paragraph.</p>"
    section = factory.SubFactory(SectionFactory)
    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        if create and extracted:
            for order, author in enumerate(extracted):
                ArticleAuthor.objects.create(article=self, author=author, order=order)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.add(*extracted)


class CommentFactory(factory.django.DjangoModelFactory):
    """An approved comment, unless told otherwise."""

    class Meta:
        model = Comment

    article = factory.SubFactory(ArticleFactory)
    name = factory.Sequence(lambda n: f"Reader {n}")
    email = factory.LazyAttribute(lambda o: f"reader{o.article.pk}@example.com")
    body = "Thank you for this report from the province."
    status = Comment.Status.APPROVED


class BannedWordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BannedWord

    word = factory.Sequence(lambda n: f"spamword{n}")


def _join_group(user, name):
    from django.contrib.auth.models import Group

    group = Group.objects.filter(name=name).first()
    if group is None or not group.permissions.exists():
        # A transactional test before this one flushed what the data migration created.
        from django.apps import apps
        from django.contrib.auth.management import create_permissions

        from editorial.roles import grant_roles

        for app_config in apps.get_app_configs():
            create_permissions(app_config, verbosity=0)
        grant_roles(apps)
        group = Group.objects.get(name=name)
    user.groups.add(group)


class ReporterFactory(UserFactory):
    """A staff account in the Reporter group, with its own byline."""

    class Meta:
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"reporter{n}")
    is_staff = True

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create:
            _join_group(self, REPORTER)
            Author.objects.create(name=f"Byline of {self.username}", user=self)


class EditorFactory(UserFactory):
    class Meta:
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"editor{n}")
    is_staff = True

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create:
            _join_group(self, EDITOR)


class ModeratorFactory(UserFactory):
    """A staff account in the Moderator group: comments only."""

    class Meta:
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"moderator{n}")
    is_staff = True

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create:
            _join_group(self, MODERATOR)


def article_by(user, **kwargs):
    """An article written by `user` (creator and byline); a draft unless told otherwise."""
    kwargs.setdefault("status", Article.Status.DRAFT)
    if kwargs["status"] != Article.Status.PUBLISHED:
        kwargs.setdefault("published_at", None)
    article = ArticleFactory(created_by=user, **kwargs)
    profile = Author.objects.filter(user=user).first()
    if profile is not None:
        ArticleAuthor.objects.create(article=article, author=profile, order=0)
    from editorial.services import article_record_revision

    # As the admin does after saving bylines and tags: the first revision holds them.
    article_record_revision(article=article, by=user)
    return article


class LiveCoverageFactory(factory.django.DjangoModelFactory):
    """Live coverage of a published story, started ten minutes ago, ending in six hours."""

    class Meta:
        model = "live.LiveCoverage"

    article = factory.SubFactory(ArticleFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(minutes=10))
    ends_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(hours=6))


def initial_sections() -> None:
    """The sections sections/migrations/0002 creates, made again as it makes them: a
    transactional test's flush (or a restore's) removes them, and the demo data names them."""
    seed = importlib.import_module("sections.migrations.0002_initial_sections")
    seed.create_sections(apps, None)
