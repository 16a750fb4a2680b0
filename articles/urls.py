from django.urls import path

from articles import views
from articles.feeds import LatestArticlesFeed

app_name = "articles"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("tags/<slug:slug>/", views.TagView.as_view(), name="tag"),
    path("authors/<slug:slug>/", views.AuthorView.as_view(), name="author"),
    path("preview/<int:pk>/", views.preview, name="preview"),
    path("corrections/", views.CorrectionsView.as_view(), name="corrections"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("feed/", LatestArticlesFeed(), name="feed"),
]
