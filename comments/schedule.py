"""The comments app's periodic jobs, registered with the scheduler (fitness.core.scheduler) when the
app is ready. Adding a job is adding one line here."""

from comments.conf import settings
from fitness.core.scheduler import DAY, HOUR, MINUTE, Job


def digest_mode():
    return settings.COMMENTS_NOTIFY_MODERATORS == "digest"


def each_mode():
    return settings.COMMENTS_NOTIFY_MODERATORS == "each"


JOBS = [
    # Comments Akismet could not check (timeout, outage) are asked again when due, and failed
    # reports to Akismet are sent again.
    Job("akismet-retry", MINUTE, "comments.services.rechecks.process_due"),
    # The queue's status counts, counted here so that no moderator's page waits for the scan.
    Job("status-counts", MINUTE, "comments.services.counts.refresh_status_counts"),
    # Spam older than its retention is deleted.
    Job("purge-spam", HOUR, "comments.services.housekeeping.purge_spam"),
    # One email listing the newly held comments.
    Job(
        "moderation-digest",
        HOUR,
        "comments.notifications.moderators.send_digest",
        enabled=digest_mode,
        why_disabled="COMMENTS_NOTIFY_MODERATORS is not 'digest'",
    ),
    # The end of a burst of held comments: one email listing those held since the last one.
    Job(
        "held-notices",
        MINUTE,
        "comments.notifications.moderators.send_held_notices",
        enabled=each_mode,
        why_disabled="COMMENTS_NOTIFY_MODERATORS is not 'each'",
    ),
    # The moderation insights' daily rollup (the admin's Insights page): the last two weeks
    # counted again, so that later decisions on recent comments are in the figures.
    Job("insights-rollup", HOUR, "comments.services.insights.rollup_recent"),
    # Commenters' IP address, user agent and referrer are scrubbed after the retention period.
    Job("privacy-retention", DAY, "comments.services.privacy.scrub_expired_personal_data"),
    # Moderators' decisions, once their undo window has passed: the reasons to a removed
    # comment's writer, the decision to an illegal-content notice's reporter (and receipts
    # that failed at first).
    Job("statements-of-reasons", MINUTE, "comments.notifications.writers.send_due_statements"),
    Job("report-decisions", MINUTE, "comments.notifications.reporters.send_due_decisions"),
    # Reports' networks and browser tokens cleared, decided reports deleted, after retention.
    Job("reports-retention", DAY, "comments.services.reports.apply_retention"),
]
