from django.urls import path, re_path

from fitness.articles import feeds, views

app_name = "articles"

urlpatterns = [
    path("", views.ArticleListView.as_view(), name="list"),
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("feed/", feeds.LatestArticlesFeed(), name="feed"),
    path("category/<slug:slug>/", views.CategoryView.as_view(), name="category"),
    path("category/<slug:slug>/feed/", feeds.CategoryFeed(), name="category_feed"),
    path("tag/<slug:slug>/", views.TagView.as_view(), name="tag"),
    path("tag/<slug:slug>/feed/", feeds.TagFeed(), name="tag_feed"),
    path("author/<str:username>/", views.AuthorView.as_view(), name="author"),
    path("search/", views.SearchView.as_view(), name="search"),
    # Date archives, as WordPress's: a month or a day of one or two digits (/2010/3/ answers
    # 301 to /2010/03/); a page may not take a four-digit slug (models/pages.py).
    re_path(r"^(?P<year>[0-9]{4})/$", views.DateArchiveView.as_view(), name="year"),
    re_path(
        r"^(?P<year>[0-9]{4})/(?P<month>[0-9]{1,2})/$",
        views.DateArchiveView.as_view(),
        name="month",
    ),
    re_path(
        r"^(?P<year>[0-9]{4})/(?P<month>[0-9]{1,2})/(?P<day>[0-9]{1,2})/$",
        views.DateArchiveView.as_view(),
        name="day",
    ),
]
