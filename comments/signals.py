"""
The seams between the services (posting, status changes) and what follows them (emails,
background tasks). A service sends one of these inside its transaction; the receivers in
`notifications.signal_handlers` schedule their work for after the commit, so nothing happens
for a change that rolls back, and a service never imports the layers above it.

Every signal's sender is the Comment class (report_received's: CommentReport); the arguments are
keyword-only.
"""

from django.dispatch import Signal

# A new comment is saved and waits for a moderator. Arguments: comment.
comment_held = Signal()

# A comment became visible to readers (posted approved, or approved later). Arguments: comment;
# from_status when it was approved later (a held comment: "pending").
comment_published = Signal()

# A moderator removed a comment (its writer is owed the reasons). Arguments: comment.
comment_removed = Signal()

# A reader reported a comment. Arguments: report (a CommentReport; its sender is that class).
report_received = Signal()

# A moderator's correction is recorded and should reach Akismet. Arguments: report.
akismet_report_due = Signal()

# Akismet could not be reached for a comment; it is due again at `when`. Arguments: comment, when.
akismet_recheck_due = Signal()

# A new comment's writer ticked "Email me replies to this comment". Arguments: comment.
reply_emails_asked = Signal()
