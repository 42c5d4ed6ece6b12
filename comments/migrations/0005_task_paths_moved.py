"""Background tasks that were queued (or running) when their functions moved keep working: the
django-tasks database backend stores each task's dotted path (`DBTaskResult.task_path`) and
imports it when a worker runs the row, so the rows still to run are pointed at the new modules.

Forwards, both older layouts move: the one before the layered folders (`comments.tasks`,
`comments.notifications`) and the first layered one (`comments.notifications.emails`).
Backwards writes the paths from before the layered folders. Finished rows keep the path they
ran under: they are history, and never run again.
"""

from django.db import migrations

# (the path before the layered folders, the path now)
MOVES = [
    ("comments.tasks.recheck_comment", "comments.notifications.tasks.recheck_comment"),
    ("comments.tasks.run_operation", "comments.notifications.tasks.run_operation"),
    ("comments.tasks.report_to_akismet", "comments.notifications.tasks.report_to_akismet"),
    (
        "comments.notifications.send_held_notice",
        "comments.notifications.moderators.send_held_notice",
    ),
    (
        "comments.notifications.send_held_notices_later",
        "comments.notifications.moderators.send_held_notices_later",
    ),
    ("comments.notifications.send_digest", "comments.notifications.moderators.send_digest"),
    (
        "comments.notifications.send_published_notice",
        "comments.notifications.article_authors.send_published_notice",
    ),
    (
        "comments.notifications.send_reply_notice",
        "comments.notifications.replies.send_reply_notice",
    ),
    (
        "comments.notifications.send_reply_confirmation",
        "comments.notifications.optin.send_reply_confirmation",
    ),
]
# The first layered layout kept the emails' tasks in comments/notifications/emails.py (its
# Akismet tasks were already in comments/notifications/tasks.py).
FIRST_LAYOUT = [
    (old.replace("comments.notifications.", "comments.notifications.emails."), new)
    for old, new in MOVES
    if old.startswith("comments.notifications.")
]
# django-tasks' TaskResultStatus values of the rows a worker may still run (a RUNNING row whose
# worker died is queued again by the scheduler's stale-tasks job).
STILL_TO_RUN = ["READY", "RUNNING"]


def rewrite(apps, moves):
    DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
    for old, new in moves:
        DBTaskResult.objects.filter(task_path=old, status__in=STILL_TO_RUN).update(task_path=new)


def forwards(apps, schema_editor):
    rewrite(apps, MOVES + FIRST_LAYOUT)


def backwards(apps, schema_editor):
    rewrite(apps, [(new, old) for old, new in MOVES])


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0004_wordpress_models_moved"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
