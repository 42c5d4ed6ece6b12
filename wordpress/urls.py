from django.urls import path

from wordpress import views

app_name = "wordpress"

urlpatterns = [
    path("<int:source_id>/", views.comment_permalink, name="comment_permalink"),
]
