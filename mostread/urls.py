from django.urls import path

from mostread import views

app_name = "mostread"
urlpatterns = [path("views/<int:pk>/", views.count_view, name="count")]
