"""The only code that writes comments: posting (one `create_comment`), status changes and the
moderators' operations registry (`moderation.OPERATIONS`: a new moderation operation goes
there), rechecks, reports to Akismet, the writer's own edits, privacy, housekeeping, the demo."""
