from django.urls import path

from sections import views
from sections.feeds import SectionFeed

app_name = "sections"
urlpatterns = [
    path("<slug:slug>/", views.SectionDetailView.as_view(), name="detail"),
    path("<slug:slug>/feed/", SectionFeed(), name="feed"),
]
