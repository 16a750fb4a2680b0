from django.urls import path

from live import views

app_name = "live"
urlpatterns = [path("articles/<slug:slug>/live/", views.updates, name="updates")]
