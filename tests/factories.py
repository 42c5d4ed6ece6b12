import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from comments.screening.pipeline import Decision
from comments.services.posting import create_comment
from fitness.articles.models import Article, Category, Page, Tag


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    first_name = "Sam"
    last_name = factory.Sequence(lambda n: f"Tester{n}")
    password = factory.django.Password("correct horse battery staple")


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.LazyAttribute(lambda c: c.name.lower().replace(" ", "-"))


class TagFactory(CategoryFactory):
    class Meta:
        model = Tag
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"tag {n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Training note {n}")
    slug = factory.LazyAttribute(lambda a: a.title.lower().replace(" ", "-").strip("?"))
    byline = "Fitness editors"
    body = "Warm up first.\n\n## Recovery\n\n- sleep\n- water\n"
    status = Article.Status.PUBLISHED
    publish_at = factory.LazyFunction(lambda: timezone.now() - timezone.timedelta(days=1))

    @factory.post_generation
    def categories(self, create, extracted, **kwargs):
        """In "Fitness" unless told (`categories=[...]`, `categories=[]` for none)."""
        if create:
            chosen = extracted if extracted is not None else [CategoryFactory(name="Fitness")]
            self.categories.set(chosen)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(extracted)


class PageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Page

    title = factory.Sequence(lambda n: f"Page {n}")
    slug = factory.LazyAttribute(lambda p: p.title.lower().replace(" ", "-"))
    body = "Who we are.\n\nWrite to us."
    status = Page.Status.PUBLISHED


class CommentFactory(factory.django.DjangoModelFactory):
    """A comment placed in its thread (pass parent= for a reply). Pending unless told."""

    class Meta:
        model = "comments.Comment"

    article = factory.SubFactory(ArticleFactory)
    author_name = factory.Sequence(lambda n: f"Reader {n}")
    author_email = factory.LazyAttribute(
        lambda c: f"{c.author_name.lower().replace(' ', '.')}@example.com"
    )
    body = "Great article, the part about recovery helped me."
    body_html = factory.LazyAttribute(lambda c: f"<p>{c.body}</p>")
    ip_address = "192.0.2.10"
    user_agent = "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0"
    status = "pending"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        parent = kwargs.get("parent")
        if parent is not None:
            kwargs["article"] = parent.article
        comment = model_class(*args, **kwargs)
        # The one posting sequence, as if screening had decided its status; without the
        # emails: a fixture is not news.
        decided = Decision(status=comment.status, decided_by="test factory")
        create_comment(comment, decision=decided, announce=False)
        comment.refresh_from_db(fields=["thread_visible"])
        return comment
