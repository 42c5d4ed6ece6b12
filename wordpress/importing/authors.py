"""The export's authors as accounts here: found by login, else by email, else made with no
password (staff set one). Remembered by login and by WordPress's user id, which a comment
written by a logged-in author carries."""

from django.contrib.auth import get_user_model

from wordpress import wxr
from wordpress.importing.report import Report
from wordpress.importing.values import valid_email


class Authors:
    def __init__(self, report: Report):
        self.report = report
        self.by_login = {}
        self.by_wordpress_id = {}

    def add(self, author: wxr.Author) -> None:
        if not author.login:
            self.report.skip(f"author {author.id}", "no login name")
            return
        self.find_or_create(author.login, author)

    def find_or_create(self, login: str, author: wxr.Author | None = None):
        """The account of a WordPress login (a post's creator names only that); its
        `wordpress_display_name` is what the export calls the author."""
        if login in self.by_login:
            return self.by_login[login]
        User = get_user_model()
        email = author.email if author else ""
        user = User.objects.filter(username=login[:150]).first()
        if user is None and email:
            user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User(
                username=login[:150],
                email=email if valid_email(email) else "",
                first_name=(author.first_name if author else "")[:150],
                last_name=(author.last_name if author else "")[:150],
            )
            user.set_unusable_password()
            user.save()
            self.report.counts["authors_created"] += 1
        self.report.counts["authors"] += 1
        self.by_login[login] = user
        if author and author.id is not None:
            self.by_wordpress_id[author.id] = user
        user.wordpress_display_name = (author.display_name if author else "") or login
        return user

    def of_comment(self, wc: wxr.WXRComment):
        """The account of the author who wrote a comment logged in, if the export has them."""
        try:
            wp_user = int(wc.user_id or 0)
        except ValueError:
            return None
        return self.by_wordpress_id.get(wp_user) if wp_user else None
