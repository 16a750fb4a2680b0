from django.urls import path

from core.views import PREVIEW_PREFIX
from editorial import views

app_name = "editorial"
urlpatterns = [
    path(PREVIEW_PREFIX.strip("/") + "/<int:pk>/", views.preview, name="preview"),
    path(
        PREVIEW_PREFIX.strip("/") + "/shared/<str:token>/",
        views.shared_preview,
        name="shared_preview",
    ),
]
