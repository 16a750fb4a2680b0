from django.urls import path

from frontpage import views

app_name = "frontpage"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("pages/<slug:slug>/", views.PaperPageView.as_view(), name="page"),
]
