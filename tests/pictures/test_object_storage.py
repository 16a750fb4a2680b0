"""Media in an S3-compatible bucket (MEDIA_STORAGE_BUCKET, pictures/storage.py), against
moto's S3 in this process: the same addresses, the same gate and headers as on disk."""

import boto3
import pytest
from django.utils.functional import empty
from moto import mock_aws
from sorl.thumbnail import default as thumbnail_default

from articles.models import Article
from pictures.renditions import rendition_files
from tests.factories import ArticleFactory, jpeg

pytestmark = pytest.mark.django_db

BUCKET = "newsroom-media"


@pytest.fixture
def bucket(settings, monkeypatch, tmp_path):
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket=BUCKET)
        settings.MEDIA_ROOT = str(tmp_path / "not-used")  # nothing may land on disk
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "pictures.storage.GatedS3Storage",
                "OPTIONS": {"bucket_name": BUCKET, "querystring_auth": False,
                            "file_overwrite": False},
            },
        }  # fmt: skip
        forget_renditions_storage()
        yield s3
    forget_renditions_storage()  # the next test's renditions use its own storage again


def forget_renditions_storage():
    """sorl-thumbnail keeps the storage it first resolved; tests change STORAGES."""
    thumbnail_default.storage._wrapped = empty


def stored(s3) -> set[str]:
    listed = s3.list_objects_v2(Bucket=BUCKET)
    return {item["Key"] for item in listed.get("Contents", [])}


def test_a_picture_in_the_bucket_is_addressed_through_the_gate_and_served_as_from_disk(
    client, bucket, tmp_path
):
    article = ArticleFactory(image=jpeg(), status=Article.Status.DRAFT, published_at=None)
    name = article.image.name
    assert name in stored(bucket)
    assert not (tmp_path / "not-used").exists()
    assert article.image.url == f"/media/{name}"  # not the bucket's own address

    assert client.get(article.image.url).status_code == 404  # a draft's picture: no reader
    article.status, article.published_at = Article.Status.PUBLISHED, article.created
    article.save()
    response = client.get(article.image.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    body = b"".join(response.streaming_content)
    assert body == bucket.get_object(Bucket=BUCKET, Key=name)["Body"].read()


def test_renditions_are_made_from_and_stored_in_the_bucket(client, bucket):
    article = ArticleFactory(image=jpeg(1600, 1000))
    (card, *_) = rendition_files(article.image, "card")
    assert card.name in stored(bucket)
    assert client.get(card.url).status_code == 200
    assert client.get(article.get_absolute_url()).status_code == 200
