"""Told what happened, after the commit: emails to moderators, article authors and repliers, the
reply-email opt-in, background tasks. Receivers are connected by `signal_handlers.register()`."""
