"""
The media library's background work: an uploaded image's renditions (issue 28).

An upload's request validates the file and stores its clean original (fitness/articles/images.py
`render_original`), then leaves the image "processing" and schedules `make_renditions`: the
resized WebP copies, the slow part (0.35–2 s of Pillow a photo), are made off the request. Under
TASKS_BACKEND=immediate (development, `make run`) the task runs inline right after the commit;
under TASKS_BACKEND=database it is stored with the image's row and run by `manage.py db_worker`,
and a worker that dies while making them has its task queued again by the scheduler's
`stale-tasks` job (fitness/core/scheduler.py): renditions have fixed names, so the next attempt
writes over what the dead one left; the `image-renditions` job (`take_back_stuck`) takes back
an image whose task was lost or given up on. Until they exist the image is shown from its original;
when they are saved, the pages showing it get a new version (signal_handlers.SHOWN).
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.compat import TaskResultStatus

from fitness.articles import images
from fitness.articles.models import Image
from fitness.core.tasks import schedule

log = logging.getLogger(__name__)

UNEXPECTED = "The resized copies could not be made ({error}); the original is shown instead."


@task()
def make_renditions(image_id: int, file_name: str):
    """Make the renditions of an image still "processing" with this file (an image replaced
    or deleted meanwhile is left alone); returns its state. A failure leaves no rendition on
    disk, and the image "failed" with the reason (the admin shows it; readers see the
    original)."""
    image = Image.objects.filter(pk=image_id, file=file_name).first()
    if image is None or image.state != Image.State.PROCESSING:
        return "gone" if image is None else image.state
    try:
        renditions = images.make_renditions(image)
    except ValidationError as refused:
        return _failed(image_id, file_name, " ".join(refused.messages))
    except Exception as error:  # storage, memory: said in the admin, logged in full
        log.exception("image %s: renditions not made", image_id)
        return _failed(image_id, file_name, UNEXPECTED.format(error=type(error).__name__))
    try:
        with transaction.atomic():
            current = Image.objects.select_for_update().filter(pk=image_id, file=file_name)
            current = current.first()
            if current is None or current.state != Image.State.PROCESSING:
                raise _Gone
            current.renditions, current.state, current.failure = renditions, "ready", ""
            # Saved field by field: the freshness receivers (signal_handlers) see "renditions"
            # change, move the pages showing it and render their bodies again.
            current.save(update_fields=["renditions", "state", "failure"])
    except BaseException as error:
        images.delete_names(image.file.storage, [r["name"] for r in renditions])
        if isinstance(error, _Gone):
            return "gone"
        raise
    log.info("image %s ready: %d renditions", image_id, len(renditions))
    return Image.State.READY.value


class _Gone(Exception):
    """The image was deleted, replaced or finished by another run while this one worked."""


def _failed(image_id, file_name, why):
    log.warning("image %s: renditions failed: %s", image_id, why)
    image = Image.objects.filter(pk=image_id, file=file_name, state=Image.State.PROCESSING).first()
    if image is not None:
        image.state, image.failure = Image.State.FAILED, why
        image.save(update_fields=["state", "failure"])
    return Image.State.FAILED.value


def schedule_renditions(image):
    """Run `make_renditions` for a saved "processing" image if, and only if, the caller's
    transaction commits (`fitness.core.tasks.schedule`: with the database backend its row
    commits with the image). An enqueue that fails is logged and leaves the image processing
    (shown from its original) until the scheduler's image-renditions job (`take_back_stuck`)
    queues it again; the ImageAdmin's "Make the resized copies again" action does so at
    once."""
    schedule(make_renditions, image.pk, image.file.name)


# --- Renditions whose task was lost -------------------------------------------------------------

TASK_PATH = f"{__name__}.make_renditions"
GAVE_UP = (
    "The worker stopped each time it was making the resized copies ({attempts} times: out of "
    "memory?); the original is shown instead."
)


def stuck_after():
    """How long an image may wait "processing" before the scheduler looks at it: time for the
    stale-tasks job to have retried its task TASKS_MAX_ATTEMPTS times."""
    return timedelta(seconds=settings.TASKS_RUNNING_TIMEOUT * (settings.TASKS_MAX_ATTEMPTS + 1))


def take_back_stuck(now=None, *, limit=100):
    """The scheduler's image-renditions job: images "processing" for longer than `stuck_after`
    whose task is not waiting or running. A task the stale-tasks job gave up on (its worker
    died each time) leaves its image "failed" with the reason; a task that was never stored
    (the enqueue failed, the web worker died between the commit and it) is queued again.
    Returns {"requeued": n, "failed": n}."""
    now = now or timezone.now()
    done = {"requeued": 0, "failed": 0}
    stuck = Image.objects.filter(
        state=Image.State.PROCESSING, processing_since__lt=now - stuck_after()
    ).order_by("processing_since")[:limit]
    stuck = list(stuck)
    if not stuck:
        return done
    rows = {}
    if isinstance(make_renditions.get_backend(), DatabaseBackend):
        from django_tasks_db.models import DBTaskResult

        since = min(image.processing_since for image in stuck) - timedelta(minutes=1)
        rows_since = DBTaskResult.objects.filter(task_path=TASK_PATH, enqueued_at__gte=since)
        for row in rows_since.order_by("enqueued_at"):
            rows[tuple(row.args_kwargs.get("args", []))] = row  # the latest per image and file
    for image in stuck:
        row = rows.get((image.pk, image.file.name))
        if row is not None and row.status in (TaskResultStatus.READY, TaskResultStatus.RUNNING):
            continue  # a long queue: its turn will come
        if row is not None and row.status == TaskResultStatus.FAILED:
            attempts = len(row.worker_ids or []) or settings.TASKS_MAX_ATTEMPTS
            _failed(image.pk, image.file.name, GAVE_UP.format(attempts=attempts))
            done["failed"] += 1
            continue
        log.warning("image %s: its renditions task was lost; queued again", image.pk)
        image.ask_for_renditions()
        done["requeued"] += 1
    return done
