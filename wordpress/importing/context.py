"""What every part of one import shares: the old site, who runs the import, when, the report."""

from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from django.utils import timezone

from wordpress import wxr
from wordpress.importing.report import Report
from wordpress.models import ImportedComment

SOURCE_LENGTH = ImportedComment._meta.get_field("source").max_length


@dataclass
class Context:
    report: Report
    by: object = None  # the user running it (None from the command line)
    now: datetime = field(default_factory=timezone.now)
    source: str = ""  # the old site's address: every mapping is keyed on it
    host: str = ""  # its host, lower case: what makes a link one of its own addresses
    imported_before: bool = True  # comments of this site imported by an earlier run
    ours: bool = False  # an export of a site like this one: its addresses are not old ones

    def start(self, site: wxr.Site) -> None:
        """Take the site the export's channel names."""
        address = (site.base_site_url or site.base_blog_url or site.link).rstrip("/")
        # The key every mapping is stored under fits its column (PostgreSQL refuses a longer
        # value, SQLite keeps it): the same export always gives the same key.
        self.source = address[:SOURCE_LENGTH]
        # A first import looks up no earlier comments: 1,000 empty lookups cost 12 s (each
        # joins the comment table the same transaction is filling; its statistics are stale).
        self.imported_before = ImportedComment.objects.filter(source=self.source).exists()
        self.host = urlsplit(address).netloc.lower()
        self.ours = site.ours
        self.report.site, self.report.version = address, site.version
        if not address:
            self.report.warn("the export", "it names no site address; old links are not kept")
        elif len(address) > SOURCE_LENGTH:
            self.report.warn(
                "the export",
                f"its site address is longer than {SOURCE_LENGTH} characters: what it imports "
                f"is recorded under the address's first {SOURCE_LENGTH}",
            )

    @property
    def actor_id(self) -> int | None:
        """The id of the user running the import, for the history rows (None: the command)."""
        return self.by.pk if getattr(self.by, "is_authenticated", False) else None
