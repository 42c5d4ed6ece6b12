"""/media/ where Django serves the uploads (MEDIA_SERVE: runserver, the tests): a file, or a
404; a name longer than the system allows is no file either, never a 500 (found by the fuzz,
tests/test_fuzz.py)."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "squat.txt").write_text("squat")
    return tmp_path


def test_an_upload_is_served(media_root):
    response = Client().get("/media/images/squat.txt")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"squat"


@pytest.mark.parametrize(
    "path",
    [
        "/media/images/nothing.png",
        "/media/" + "a" * 256,  # one name longer than a file's name may be (255 bytes)
        "/media/images/" + "é" * 200,  # 400 bytes in UTF-8
        "/media/" + "a/" * 2100,  # a path longer than a path may be (4096)
    ],
)
def test_no_such_file_is_a_404(media_root, path):
    assert Client(raise_request_exception=False).get(path).status_code == 404
