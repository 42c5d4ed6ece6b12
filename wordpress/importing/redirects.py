"""The old site's addresses as redirects (`fitness.Redirect`): a post's permalink, its guid and
its comments' feed, a page's, an attachment's page and its files (the upload and WordPress's
resized copies, to our copy nearest their width), the category, tag and feed pages, `?cat=`
and `?author=` by WordPress's ids; in this site's own export, the old addresses it carries.
An address already here is left alone (a later export keeps what it pointed at current)."""

from urllib.parse import urlsplit

from django.urls import reverse

from fitness.articles.models import Article, Category, Image, Page, Redirect, Tag, redirect_key
from wordpress import php, wxr
from wordpress.importing.context import Context
from wordpress.importing.terms import Terms
from wordpress.importing.values import wordpress_id
from wordpress.models import ImportedPost

OLD_ADDRESSES = "_fitness_old_addresses"  # this site's export (wordpress/exporter.py)


def carried(item: wxr.Item) -> list[str]:
    """The old addresses this site's export says led to the item (one a line)."""
    lines = (line.strip() for line in item.meta.get(OLD_ADDRESSES, "").splitlines())
    return [line for line in lines if line.startswith("/") and len(line) <= 500]


class Redirects:
    def __init__(self, context: Context, terms: Terms):
        self.context, self.terms = context, terms
        self.attachment_pages = []  # (old address of an attachment's page, its post's id)
        self.upload_files = {}  # attachment id -> [(old address of a file, its width or None)]
        self.carried = {}  # old key -> (None, target): this site's export's <fitness:redirect>

    def old_key(self, url: str) -> str | None:
        """The redirect key of an address of the old site (None: another site's)."""
        try:
            parts = urlsplit(url.strip())
        except ValueError:
            return None
        if parts.netloc and parts.netloc.lower() != self.context.host:
            return None
        return redirect_key(parts.path, parts.query)

    def add(self, targets: dict) -> None:
        """{old key: (article or None, target path)}; an address already here is left alone
        unless it pointed at the same article (so a later export keeps it current)."""
        existing = {r.old_path: r for r in Redirect.objects.filter(old_path__in=list(targets))}
        counts, source = self.context.report.counts, self.context.source
        new = []
        for key, (article, target) in targets.items():
            if key in existing:
                counts["redirects_kept"] += 1
                continue
            if article is None and redirect_key(urlsplit(target).path) == key:
                continue  # the same address here (/feed/): nothing to redirect
            new.append(Redirect(old_path=key, article=article, target=target, source=source))
        Redirect.objects.bulk_create(new)
        counts["redirects_new"] += len(new)

    def addresses_of(self, item: wxr.Item) -> list[tuple[str, str]]:
        """(address, its key) for the item's permalink and guid, where they are the old
        site's and not its home page (none in this site's own export: they are this site's
        addresses, served the same by the site it is imported into)."""
        found = []
        if self.context.ours:
            return found
        for url in {item.link, item.guid}:
            key = self.old_key(url) if url else None
            if key and key != "/":
                found.append((url, key))
        return found

    def add_for_article(self, item: wxr.Item, article: Article) -> None:
        keys = {}
        for url, key in self.addresses_of(item):
            keys[key] = (article, "")
            if not key.split("?")[0].endswith("/feed"):
                feed = self.old_key(url.split("?")[0].rstrip("/") + "/feed/")
                if feed and feed != "/feed":
                    comments_feed = reverse("comments:feed", kwargs={"slug": article.slug})
                    keys[feed] = (None, comments_feed)
        if not self.context.ours:
            keys[redirect_key("/", f"p={item.id}")] = (article, "")
        for old in carried(item):  # this site's export: the old addresses it answered
            keys[redirect_key(*old.partition("?")[::2])] = (article, "")
        self.add(keys)

    def add_for_page(self, item: wxr.Item, page: Page) -> None:
        target = page.get_absolute_url()
        keys = {key: (None, target) for _, key in self.addresses_of(item)}
        if not self.context.ours:
            keys[redirect_key("/", f"page_id={item.id}")] = (None, target)
        self.add(keys)

    def note_attachment_page(self, item: wxr.Item) -> None:
        """Remember an attachment's page, redirected once its post is imported (later)."""
        if item.parent not in ("", "0") and item.link:
            self.attachment_pages.append((item.link, item.parent))

    def note_upload_files(self, item: wxr.Item) -> None:
        """Remember an attachment's files: its upload and the resized copies WordPress made
        (`_wp_attachment_metadata`), each sent to our copy once the image is made."""
        url = (item.attachment_url or "").strip()
        if not url:
            return
        # This site's export names its own files' new place, an address nobody knew: only the
        # old addresses it carries (below) are kept.
        files = [] if item.meta.get("_fitness_image") == "1" else [(url, None)]
        folder = url.rsplit("/", 1)[0]
        try:
            metadata = php.loads(item.meta.get("_wp_attachment_metadata", "") or "N;")
        except php.PHPValueError:
            metadata = None
        sizes = metadata.get("sizes") if isinstance(metadata, dict) else None
        for size in (sizes or {}).values() if isinstance(sizes, dict) else ():
            name = size.get("file") if isinstance(size, dict) else None
            if isinstance(name, str) and name and "/" not in name:
                width = size.get("width")
                files.append((f"{folder}/{name}", width if isinstance(width, int) else None))
        if isinstance(metadata, dict) and isinstance(metadata.get("original_image"), str):
            files.append((f"{folder}/{metadata['original_image']}", None))
        for line in carried(item):  # this site's export: "old path [width]"
            path, _, width = line.partition(" ")
            files.append((path, int(width) if width.isascii() and width.isdigit() else None))
        self.upload_files[item.id] = files

    def carry(self, old_path: str, target: str) -> None:
        """An old address this site's export says it answered with a path here (a category's,
        a feed's, a page's): kept as it was, once the whole export is read."""
        if old_path.startswith("/") and target.startswith("/") and not target.startswith("//"):
            self.carried[redirect_key(*old_path.partition("?")[::2])] = (None, target[:500])

    def add_carried(self) -> None:
        self.add(self.carried)

    def add_for_uploads(self, images: list[tuple[str, Image]]) -> None:
        """The old addresses of the uploads (/wp-content/uploads/2026/12/photo-300x200.jpg)
        to our copy of the image nearest that width."""
        targets = {}
        for attachment_id, image in images:
            for url, width in self.upload_files.get(attachment_id, []):
                key = self.old_key(url)
                if key and key != "/":
                    targets[key] = (None, image.url_for_width(width))
        self.add(targets)

    def add_for_authors(self, by_wordpress_id: dict) -> None:
        """WordPress's `/?author=2` (its user id) to the author's page here."""
        if self.context.ours:
            return  # its ids are another site's like this one: never WordPress's addresses
        self.add(
            {
                redirect_key("/", f"author={wordpress_user}"): (
                    None,
                    reverse("articles:author", kwargs={"username": user.get_username()}),
                )
                for wordpress_user, user in by_wordpress_id.items()
                if user.get_username()
            }
        )

    def add_for_attachment_pages(self) -> None:
        """An attachment's page (WordPress shows the image alone) goes to its post's article."""
        post_ids = {wordpress_id(parent) for _, parent in self.attachment_pages} - {None}
        articles = {
            str(m.source_id): m.article
            for m in ImportedPost.objects.filter(
                source=self.context.source, source_id__in=post_ids, article__isnull=False
            ).select_related("article")
        }
        targets = {}
        for link, parent in self.attachment_pages:
            key = self.old_key(link)
            post_id = str(wordpress_id(parent))  # "None" for no id: no article
            if key and key != "/" and post_id in articles:
                targets[key] = (articles[post_id], "")
        self.add(targets)

    def add_for_terms(self) -> None:
        """Category and tag pages go to theirs here (a nested category's old path to its own
        page; a term no post used, so not made here, to the home page), the feeds to this
        site's. An old address this site serves itself is not redirected (no loop)."""
        if not self.context.source or self.context.ours:
            return  # this site's export: its old addresses travel as they are (carried)
        base = urlsplit(self.context.source).path.rstrip("/")
        categories, tags = self.terms.categories, self.terms.tags
        home, feed = reverse("articles:list"), reverse("articles:feed")
        here = {
            "category": set(
                Category.objects.filter(slug__in=categories).values_list("slug", flat=True)
            ),
            "tag": set(Tag.objects.filter(slug__in=tags).values_list("slug", flat=True)),
        }

        def page(kind, slug):
            if slug in here[kind]:
                return reverse(f"articles:{kind}", kwargs={"slug": slug})
            return home

        targets = {}
        for slug in categories:
            old = redirect_key(f"{base}/category/{self.terms.category_path(slug)}/")
            targets[old] = (None, page("category", slug))
            if slug in self.terms.category_ids:  # WordPress's /?cat=2, by its term id
                targets[redirect_key("/", f"cat={self.terms.category_ids[slug]}")] = (
                    None,
                    page("category", slug),
                )
        for slug in tags:
            targets[redirect_key(f"{base}/tag/{slug}/")] = (None, page("tag", slug))
        for path in ("/feed/", "/feed/rss2/", "/feed/atom/"):
            targets[redirect_key(base + path)] = (None, feed)
        targets[redirect_key(base + "/comments/feed/")] = (None, reverse("comments:latest_feed"))
        self.add({k: t for k, t in targets.items() if k != redirect_key(t[1])})
