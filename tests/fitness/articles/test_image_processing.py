"""An upload answers at once; its renditions are made by a task (issue 28: image work off the
request). Until they exist the image is shown from its original; when they arrive the pages
showing it get a new version."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks import task_backends
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from fitness.articles import tasks
from fitness.articles.models import Image
from fitness.core.scheduler import get_jobs, requeue_stale_tasks
from tests.factories import ArticleFactory
from tests.fitness.articles.media_helpers import upload

pytestmark = pytest.mark.django_db

UPLOAD = "admin:fitness_image_library_upload"
LIBRARY = "admin:fitness_image_library"


@pytest.fixture
def media_files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return lambda: sorted(p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file())


@pytest.fixture
def deferring_backend(settings):
    """A backend that only records what was enqueued (as the database one before its worker
    runs it)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    return task_backends["default"]


def renditions_queued(backend):
    return [r for r in backend.results if r.task.name == "make_renditions"]


def post_upload(client, alt="Foam roller", **kwargs):
    return client.post(
        reverse(UPLOAD), {"file": upload(width=1000, height=500, **kwargs), "alt": alt}
    )


def run_queued(backend):
    for result in renditions_queued(backend):
        tasks.make_renditions.call(*result.args)


def test_an_upload_answers_without_rendering_and_the_task_makes_the_renditions(
    admin_client, deferring_backend, media_files, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_upload(admin_client)
    assert response.status_code == 201
    answer = response.json()["image"]
    image = Image.objects.get()
    assert answer["state"] == "processing" and image.state == "processing"
    assert image.renditions == [] and media_files() == [Path(image.file.path)]
    assert (image.width, image.height) == (1000, 500)  # the layout box, from the original
    assert answer["thumb"] == image.file.url
    (queued,) = renditions_queued(deferring_backend)
    assert queued.args == [image.pk, image.file.name]

    run_queued(deferring_backend)
    image.refresh_from_db()
    assert image.state == "ready" and [r["width"] for r in image.renditions] == [480, 800, 1000]
    assert len(media_files()) == 4
    listed = admin_client.get(reverse(LIBRARY), {"ids": str(image.pk)}).json()["images"]
    assert [(i["id"], i["state"]) for i in listed] == [(image.pk, "ready")]
    assert listed[0]["thumb"].endswith("-480w.webp")


def test_the_editor_library_says_processing_until_ready(
    admin_client, deferring_backend, media_files, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_upload(admin_client, alt="Kettlebell")
        post_upload(admin_client, alt="Rowing")
    kettlebell, rowing = Image.objects.get(alt="Kettlebell"), Image.objects.get(alt="Rowing")
    listed = admin_client.get(reverse(LIBRARY)).json()["images"]
    assert {i["alt"]: i["state"] for i in listed} == {
        "Kettlebell": "processing",
        "Rowing": "processing",
    }
    # The script asks about the ones it waits for, by id.
    asked = admin_client.get(reverse(LIBRARY), {"ids": f"{kettlebell.pk},x"}).json()["images"]
    assert [i["id"] for i in asked] == [kettlebell.pk]
    run_queued(deferring_backend)
    asked = admin_client.get(reverse(LIBRARY), {"ids": f"{kettlebell.pk},{rowing.pk}"}).json()
    assert {i["state"] for i in asked["images"]} == {"ready"}
    changelist = admin_client.get(reverse("admin:fitness_image_changelist")).content.decode()
    assert '<td class="field-state">ready</td>' in changelist


def test_the_image_admin_list_and_page_show_the_state(
    admin_client, deferring_backend, media_files, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:fitness_image_add"),
            {"file": upload(width=900, height=600), "alt": "Plank", "caption": "", "credit": ""},
        )
    assert response.status_code == 302
    image = Image.objects.get()
    changelist = admin_client.get(reverse("admin:fitness_image_changelist")).content.decode()
    assert '<td class="field-state">processing…</td>' in changelist
    page = admin_client.get(reverse("admin:fitness_image_change", args=[image.pk]))
    assert "Processing… (readers see the original" in page.content.decode()
    run_queued(deferring_backend)
    page = admin_client.get(reverse("admin:fitness_image_change", args=[image.pk]))
    assert "Ready (3)" in page.content.decode()


def test_the_article_page_shows_the_original_then_the_renditions_with_a_new_etag(
    admin_client, client, deferring_backend, media_files, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_upload(admin_client, alt="Hill sprints")
    image = Image.objects.get()
    article = ArticleFactory(featured_image=image, body=f"Intro.\n\n{image.markdown}\n")
    url = article.get_absolute_url()
    before = client.get(url)
    html = before.content.decode()
    assert html.count(f'src="{image.file.url}"') == 2  # the header and the body: the original
    assert 'width="1000" height="500"' in html and "srcset=" not in html

    run_queued(deferring_backend)
    after = client.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200 and after["ETag"] != before["ETag"]
    html = after.content.decode()
    assert html.count("-480w.webp 480w") == 2 and f'src="{image.file.url}"' not in html


def test_a_task_for_an_image_replaced_or_deleted_meanwhile_writes_nothing(
    admin_client, deferring_backend, media_files, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_upload(admin_client)
    image = Image.objects.get()
    (queued,) = renditions_queued(deferring_backend)
    image.remove()
    assert tasks.make_renditions.call(*queued.args) == "gone"
    assert media_files() == []


def test_a_task_run_again_after_its_worker_died_writes_over_what_it_left(
    admin_client, deferring_backend, media_files, django_capture_on_commit_callbacks
):
    """The stale-tasks job queues a dead worker's task again (fitness/core/scheduler.py): the
    second run finds the first one's files and leaves one copy of each, nothing orphaned."""
    with django_capture_on_commit_callbacks(execute=True):
        post_upload(admin_client)
    image = Image.objects.get()
    from fitness.articles import images

    images.make_renditions(image)  # the dead run: files written, the row never saved
    assert len(media_files()) == 4
    run_queued(deferring_backend)
    image.refresh_from_db()
    assert image.state == "ready"
    assert media_files() == sorted(
        [
            Path(image.file.path),
            *(Path(image.file.storage.path(r["name"])) for r in image.renditions),
        ]
    )


def test_with_the_immediate_backend_the_upload_still_answers_before_the_renditions(
    admin_client, media_files, django_capture_on_commit_callbacks
):
    """The laptop setup: the task runs inline right after the commit; the answer the script
    gets was made before it, and says processing (the script then asks again)."""
    with django_capture_on_commit_callbacks(execute=True):
        response = post_upload(admin_client)
    assert response.json()["image"]["state"] == "processing"
    assert Image.objects.get().state == "ready"


# --- Nothing lost: a worker that dies, a task that was never stored ------------------------------


@pytest.fixture
def database_tasks(settings):
    settings.TASKS_BACKEND = "database"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASKS_RUNNING_TIMEOUT = 600
    settings.TASKS_MAX_ATTEMPTS = 3
    return settings


# A real db_worker closes connections that are not in autocommit mode: this test commits.
@pytest.mark.django_db(transaction=True)
def test_a_worker_that_died_making_renditions_has_its_task_run_again(
    admin_client, database_tasks, media_files
):
    response = post_upload(admin_client)
    assert response.status_code == 201
    image = Image.objects.get()
    (row,) = DBTaskResult.objects.filter(task_path=tasks.TASK_PATH)
    assert row.status == TaskResultStatus.READY  # stored with the image's row
    # A db_worker took it and was killed eleven minutes ago.
    DBTaskResult.objects.filter(pk=row.pk).update(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - timedelta(minutes=11),
        worker_ids=["dead-worker"],
    )
    assert requeue_stale_tasks() == {"requeued": 1, "gave_up": 0}
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    image.refresh_from_db()
    assert image.state == "ready" and len(image.renditions) == 3
    assert len(media_files()) == 4


def test_an_image_whose_task_was_never_stored_is_queued_again_by_the_scheduler(
    admin_client, deferring_backend, media_files, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_upload(admin_client)  # the dummy backend: as if the enqueue had been lost
    image = Image.objects.get()
    assert tasks.take_back_stuck() == {"requeued": 0, "failed": 0}  # not stuck yet
    later = timezone.now() + tasks.stuck_after() + timedelta(minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.take_back_stuck(later) == {"requeued": 1, "failed": 0}
    assert len(renditions_queued(deferring_backend)) == 2
    run_queued(deferring_backend)
    image.refresh_from_db()
    assert image.state == "ready"
    assert "image-renditions" in {job.name for job in get_jobs()}


def test_an_image_whose_task_was_given_up_on_is_failed_with_the_reason(
    admin_client, database_tasks, media_files, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_upload(admin_client)
    image = Image.objects.get()
    later = timezone.now() + tasks.stuck_after() + timedelta(minutes=1)
    assert tasks.take_back_stuck(later) == {"requeued": 0, "failed": 0}  # waiting its turn
    DBTaskResult.objects.filter(task_path=tasks.TASK_PATH).update(
        status=TaskResultStatus.FAILED, worker_ids=["a", "b", "c"]
    )  # what the stale-tasks job does after the third dead worker
    assert tasks.take_back_stuck(later) == {"requeued": 0, "failed": 1}
    image.refresh_from_db()
    assert image.state == "failed" and "stopped each time" in image.failure
    assert "3 times" in image.failure and image.renditions == []
