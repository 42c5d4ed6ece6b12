#!/usr/bin/env python
"""
An image upload's request, with its renditions in it and off it (issue 28).

    .venv/bin/python bench/image_upload.py [--repeat 5]

Posts photo-like JPEGs (1200 × 800 and 4000 × 3000, 12 megapixels) to the editor's upload
endpoint in-process, as an author does, and times the whole request, median of --repeat:
"renditions in the request" runs the renditions task inline inside the request (what every
upload did before issue 28, and what TASKS_BACKEND=immediate still does in development);
"renditions in a task" stores the task for the worker (TASKS_BACKEND=database, production), so
the request does only the validation and the clean original. Then times the task itself.
Prints the figures and the machine's load.
"""

import argparse
import io
import os
import statistics
import tempfile
import time

import bootstrap
from serving import fresh_database

MEDIA = tempfile.mkdtemp(prefix="bench-images-")
bootstrap.setup(
    DATABASE_URL=fresh_database("bench_image_upload"),
    ALLOWED_HOSTS="testserver",
    MEDIA_ROOT=MEDIA,
    SECURE_SSL_REDIRECT="0",
)

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402
from PIL import Image as PILImage  # noqa: E402
from PIL import ImageFilter  # noqa: E402

from fitness.articles import tasks  # noqa: E402
from fitness.articles.models import Image  # noqa: E402

BACKENDS = {
    "renditions in the request": "django_tasks.backends.immediate.ImmediateBackend",
    "renditions in a task": "django_tasks_db.DatabaseBackend",
}


def photo(width, height):
    """A JPEG with a photo's mix of smooth areas and detail (not flat colour, not noise)."""
    picture = PILImage.effect_mandelbrot((width, height), (-2, -1.2, 0.8, 1.2), 60).convert("RGB")
    grain = PILImage.effect_noise((width, height), 40).convert("RGB").filter(ImageFilter.BLUR)
    picture = PILImage.blend(picture, grain, 0.35)
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    call_command("migrate", verbosity=0)
    user = get_user_model().objects.create_superuser("bench", "bench@example.com", "x")
    client = Client()
    client.force_login(user)
    url = reverse("admin:fitness_image_library_upload")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for width, height in [(1200, 800), (4000, 3000)]:
        data = photo(width, height)
        for label, backend in BACKENDS.items():
            times = []
            with override_settings(TASKS={"default": {"BACKEND": backend}}):
                for n in range(options.repeat):
                    file = SimpleUploadedFile(f"photo-{n}.jpg", data, "image/jpeg")
                    started = time.perf_counter()
                    response = client.post(url, {"file": file, "alt": "A photo"})
                    times.append(time.perf_counter() - started)
                    assert response.status_code == 201, response.content
            print(
                f"{width} × {height} ({len(data) // 1024} KB), {label}: "
                f"median {statistics.median(times) * 1000:.0f} ms "
                f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f})"
            )
        waiting = Image.objects.filter(state=Image.State.PROCESSING)
        times = []
        for image in waiting:
            started = time.perf_counter()
            assert tasks.make_renditions.call(image.pk, image.file.name) == "ready"
            times.append(time.perf_counter() - started)
        print(
            f"{width} × {height}, the task alone: median {statistics.median(times) * 1000:.0f} ms"
        )
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
