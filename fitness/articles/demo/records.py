"""
The record of what the demo made (`DemoRow`): `record` as load_demo creates a row, `recorded`
and `unchanged` as remove_demo decides, `forget` once it is done. The comments app records its
seed comments here too (comments/services/demo.py); each app names the fields a person would
change (`fields`), and the fingerprint is taken over those.
"""

import hashlib

from django.contrib.contenttypes.models import ContentType
from django.db import models

from fitness.articles.models import DemoRow


def fingerprint(obj, fields) -> str:
    values = []
    for name in fields:
        field = obj._meta.get_field(name)
        if isinstance(field, models.ManyToManyField):
            values.append(sorted(getattr(obj, name).values_list("pk", flat=True)))
        else:
            values.append(str(getattr(obj, field.attname)))
    return hashlib.md5(repr(values).encode(), usedforsecurity=False).hexdigest()


def record(obj, fields):
    """`obj` was made by the demo, as it is now (read back: as remove_demo will read it)."""
    obj = type(obj).objects.get(pk=obj.pk)
    DemoRow.objects.update_or_create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        defaults={"fingerprint": fingerprint(obj, fields)},
    )


def _rows(model):
    return DemoRow.objects.filter(content_type=ContentType.objects.get_for_model(model))


def recorded(model):
    """The rows of `model` the demo made that still exist."""
    return model.objects.filter(pk__in=_rows(model).values("object_id")).order_by("pk")


def unchanged(obj, fields) -> bool:
    """Is `obj` as the demo left it (no person edited it since)?"""
    row = _rows(type(obj)).filter(object_id=obj.pk).first()
    return row is not None and row.fingerprint == fingerprint(obj, fields)


def is_loaded() -> bool:
    return DemoRow.objects.exists()


def forget_all():
    """Whatever is left is the site's own now: nothing is marked as the demo's any more."""
    DemoRow.objects.all().delete()
