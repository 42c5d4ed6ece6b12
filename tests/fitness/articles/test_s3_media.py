"""Media on S3-compatible storage, against a real S3 server on 127.0.0.1 (moto's server mode, a
separate process speaking S3 over HTTP): an upload through the admin lands in the bucket, and
the article page's srcset points at files a browser can fetch, allowed by the CSP."""

import json
import re
import socket
import subprocess
import sys
import time

import boto3
import httpx
import pytest
from django.urls import reverse

from fitness.articles.models import Image
from tests.factories import ArticleFactory
from tests.fitness.articles.media_helpers import upload

pytestmark = pytest.mark.django_db

BUCKET = "fitness-media"
PUBLIC_READ = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{BUCKET}/*",
        }
    ],
}
KEYS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_server():
    """moto's S3 server on a free port of 127.0.0.1, for this module's tests."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{url}/moto-api/", timeout=1)
                break
            except httpx.TransportError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("moto's S3 server did not start")
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def s3_storage(s3_server, settings):
    client = boto3.client("s3", endpoint_url=s3_server, region_name="us-east-1", **KEYS)
    client.create_bucket(Bucket=BUCKET)
    # Readable by everyone, as docs/deploying.md asks of the media bucket.
    client.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(PUBLIC_READ))
    # As fitness/settings.py builds it (fitness.backends.s3_storage) for MEDIA_S3_BUCKET +
    # MEDIA_S3_ENDPOINT_URL.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_server,
                "region_name": "us-east-1",
                "access_key": KEYS["aws_access_key_id"],
                "secret_key": KEYS["aws_secret_access_key"],
                "querystring_auth": False,
                "addressing_style": "path",
                "file_overwrite": False,
                "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
            },
        },
    }
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def test_upload_through_the_admin_lands_in_the_bucket_and_the_page_serves_it(
    admin_client, client, s3_storage, s3_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the renditions task, after it
        response = admin_client.post(
            reverse("admin:fitness_image_add"),
            {
                "file": upload(width=1400, height=700),
                "alt": "Hill sprints",
                "caption": "",
                "credit": "",
            },
        )
    assert response.status_code == 302
    image = Image.objects.get()
    keys = {item["Key"] for item in s3_storage.list_objects_v2(Bucket=BUCKET)["Contents"]}
    assert keys == {image.file.name, *(r["name"] for r in image.renditions)}
    assert len(keys) == 5  # the clean original; 480, 800, 1200 and 1400 (not upscaled to 1600)

    article = ArticleFactory(featured_image=image, body=f"Intro.\n\n{image.markdown}\n")
    page = client.get(article.get_absolute_url())
    html = page.content.decode()
    srcsets = re.findall(r'srcset="([^"]+)"', html)
    assert len(srcsets) == 2  # the header and the body
    urls = [entry.split()[0] for entry in srcsets[0].split(", ")]
    assert all(url.startswith(f"{s3_server}/{BUCKET}/images/") for url in urls)
    for url in urls:
        fetched = httpx.get(url)
        assert fetched.status_code == 200
        assert fetched.content[8:12] == b"WEBP"
    assert "max-age=31536000" in httpx.get(urls[0]).headers["cache-control"]
    img_src = re.search(r"img-src ([^;]+)", page.headers["Content-Security-Policy"]).group(1)
    assert s3_server in img_src.split()
    assert image.share_url.startswith(f"{s3_server}/{BUCKET}/")


def test_settings_build_s3_storage_from_the_environment(monkeypatch):
    import runpy
    from pathlib import Path

    settings_file = Path(__file__).resolve().parents[3] / "fitness" / "settings.py"
    monkeypatch.setenv("MEDIA_S3_BUCKET", "shared-media")
    monkeypatch.setenv("MEDIA_S3_ENDPOINT_URL", "https://s3.example.net/")
    monkeypatch.setenv("MEDIA_S3_CUSTOM_DOMAIN", "media.example.com")
    options = runpy.run_path(str(settings_file))["STORAGES"]["default"]["OPTIONS"]
    assert options["bucket_name"] == "shared-media"
    assert options["endpoint_url"] == "https://s3.example.net"
    assert options["custom_domain"] == "media.example.com"
    assert options["addressing_style"] == "path" and options["querystring_auth"] is False
    monkeypatch.delenv("MEDIA_S3_BUCKET")
    default = runpy.run_path(str(settings_file))["STORAGES"]["default"]
    assert default["BACKEND"] == "django.core.files.storage.FileSystemStorage"
