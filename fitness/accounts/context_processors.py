from functools import cache

from fitness.accounts.names import needs_display_name


def accounts(request):
    """`display_name_missing`, asked only by a template that shows it (the admin's index)."""
    return {
        "display_name_missing": cache(lambda: needs_display_name(getattr(request, "user", None)))
    }
