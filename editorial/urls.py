from django.urls import path

from core.views import PREVIEW_PREFIX
from editorial import views

app_name = "editorial"
urlpatterns = [
    path(PREVIEW_PREFIX.strip("/") + "/<int:pk>/", views.preview, name="preview"),
]
