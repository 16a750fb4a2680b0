from django.urls import path

from articles import views
from articles.feeds import LatestArticlesFeed

app_name = "articles"
urlpatterns = [
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("tags/<slug:slug>/", views.TagView.as_view(), name="tag"),
    path("authors/<slug:slug>/", views.AuthorView.as_view(), name="author"),
    path("series/<slug:slug>/", views.SeriesView.as_view(), name="series"),
    path("corrections/", views.CorrectionsView.as_view(), name="corrections"),
    path("feed/", LatestArticlesFeed(), name="feed"),
]
