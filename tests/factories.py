import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from fitness.models import Article


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    first_name = "Sam"
    last_name = factory.Sequence(lambda n: f"Tester{n}")
    password = factory.django.Password("correct horse battery staple")


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"Training note {n}")
    slug = factory.LazyAttribute(lambda a: a.title.lower().replace(" ", "-").strip("?"))
    category = "Fitness"
    byline = "Fitness editors"
    body = "Warm up first.\n\n## Recovery\n\n- sleep\n- water\n"
    status = Article.Status.PUBLISHED
    publish_at = factory.LazyFunction(lambda: timezone.now() - timezone.timedelta(days=1))
