"""The site's HTTP infrastructure: caching, CSRF, sessions, security headers, errors, health, logs,
the scheduler. It imports no app; apps register with it."""
