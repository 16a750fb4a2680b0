from django.urls import path

from sections import views

app_name = "sections"
urlpatterns = [
    path("<slug:slug>/", views.SectionDetailView.as_view(), name="detail"),
]
