"""The export's categories and tags: read from the channel, made here when a post uses them
(found by slug first), and a nested category's old path for its redirect."""

from django.utils.text import slugify

from fitness.articles.models import Article, Category, Tag
from wordpress import content, wxr


class Terms:
    def __init__(self):
        self.categories = {}  # slug -> (name, parent slug)
        self.category_ids = {}  # slug -> WordPress's term id (its /?cat=ID)
        self.tags = {}  # slug -> name
        self.descriptions = {}  # (taxonomy, slug) -> the term's description

    def add(self, term: wxr.Term) -> None:
        if term.taxonomy == "category" and term.slug:
            self.categories[term.slug] = (term.name, term.parent)
            if term.id is not None and 0 < term.id < 2**63:
                self.category_ids[term.slug] = term.id
        elif term.taxonomy == "post_tag" and term.slug:
            self.tags[term.slug] = term.name
        if term.description:
            self.descriptions[(term.taxonomy, term.slug)] = term.description
        if term.keep and term.taxonomy in ("category", "post_tag"):  # this site's export
            model = Category if term.taxonomy == "category" else Tag
            slug = slugify(term.slug)[:100]
            if slug:
                model.objects.get_or_create(
                    slug=slug,
                    defaults={
                        "name": content.plain(term.name)[:100] or slug,
                        "description": term.description,
                    },
                )

    def assign(self, item: wxr.Item, article: Article) -> None:
        """Give the article the post's categories and tags (and only those)."""
        article.categories.set(self.find_or_create(item, "category", Category))
        article.tags.set(self.find_or_create(item, "post_tag", Tag))

    def find_or_create(self, item: wxr.Item, domain: str, model) -> list:
        """The post's categories (or tags) here, each found or created by its slug."""
        found = []
        for term_domain, slug, name in item.terms:
            if term_domain != domain:
                continue
            slug = (slugify(slug) or slugify(name))[:100]
            if not slug:
                continue
            term, _ = model.objects.get_or_create(
                slug=slug,
                defaults={
                    "name": content.plain(name)[:100] or slug,
                    "description": self.descriptions.get((domain, slug), ""),
                },
            )
            found.append(term)
        return found

    def category_path(self, slug: str) -> str:
        """A nested category's path as WordPress's address has it, "parent/child" (a loop of
        parents is cut where it comes back)."""
        path, seen = [slug], {slug}
        parent = self.categories.get(slug, ("", ""))[1]
        while parent and parent not in seen:
            path.insert(0, parent)
            seen.add(parent)
            parent = self.categories.get(parent, ("", ""))[1]
        return "/".join(path)
