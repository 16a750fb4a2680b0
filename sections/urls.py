from django.urls import path

from articles.feeds import SectionFeed
from sections import views

app_name = "sections"
urlpatterns = [
    path("<slug:slug>/", views.SectionDetailView.as_view(), name="detail"),
    path("<slug:slug>/feed/", SectionFeed(), name="feed"),
]
