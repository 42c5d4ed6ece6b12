"""The name readers see under a writer's articles: the article's byline if it has one (the
WordPress import gives each the old display name), else the author's first and last name, else
their username ("By admin"). A writer with an article and no name is asked for one: on logging
in (a message) and at the top of the admin's index, both linking to the admin's display-name
page, which suggests the byline of their latest article."""

from fitness.articles.models import Article


def needs_display_name(user) -> bool:
    """`user` has written an article and has neither a first nor a last name."""
    if not (user and user.is_authenticated and user.is_staff):
        return False
    if user.get_full_name().strip():
        return False
    return Article.objects.filter(author=user).exists()


def suggested_name(user) -> dict:
    """First and last name from the byline of `user`'s latest article that has one ({} when
    none has): an imported author's old WordPress display name."""
    byline = (
        Article.objects.filter(author=user)
        .exclude(byline="")
        .order_by("-publish_at")
        .values_list("byline", flat=True)
        .first()
    )
    if not byline:
        return {}
    first, _space, last = byline.strip().partition(" ")
    return {"first_name": first[:150], "last_name": last.strip()[:150]}
