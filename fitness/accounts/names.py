"""The name readers see under a writer's articles: their first and last name, else their
username ("By admin"). A writer with an article and no name is asked for one: on logging in
(a message) and at the top of the admin's index, both linking to the admin's display-name page."""

from fitness.articles.models import Article


def needs_display_name(user) -> bool:
    """`user` has written an article and has neither a first nor a last name."""
    if not (user and user.is_authenticated and user.is_staff):
        return False
    if user.get_full_name().strip():
        return False
    return Article.objects.filter(author=user).exists()
