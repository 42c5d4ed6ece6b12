from django.urls import path

from comments.web import feeds, views

app_name = "comments"

urlpatterns = [
    path("<int:pk>/", views.permalink, name="permalink"),
    path("post/<int:article_id>/", views.post, name="post"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("<int:pk>/helpful/", views.helpful, name="helpful"),
    path("live/<int:article_id>/", views.live, name="live"),
    path("mine/<int:article_id>/", views.mine, name="mine"),
    path("<int:pk>/restore/", views.restore, name="restore"),
    path("<int:pk>/report/", views.report, name="report"),
    path("feed/", feeds.LatestCommentsFeed(), name="latest_feed"),
    path("feed/<slug:slug>/", feeds.ArticleCommentsFeed(), name="feed"),
    path("replies/stop/<str:token>/", views.stop_replies, name="stop_replies"),
    path("replies/confirm/<str:token>/", views.confirm_replies, name="confirm_replies"),
    path("replies/stop-all/<str:token>/", views.stop_all_replies, name="stop_all_replies"),
]
