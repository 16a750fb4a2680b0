from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from articles.models import Article
from editorial.permissions import can_preview


@never_cache
def preview(request, pk):
    """An article as the public page renders it, for editors and its own authors only.

    Everyone else gets 404, so a preview link reveals nothing; responses are never cached."""
    article = (
        Article.objects.filter(pk=pk).select_related("section").prefetch_related("tags").first()
    )
    if article is None or not can_preview(request.user, article):
        raise Http404("No such article.")
    return render(request, "articles/article_detail.html", {"article": article, "preview": True})
