from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt

from articles.views import ArticleDetailView
from comments.forms import CommentForm
from comments.models import Comment
from comments.services import CommentsClosed, RateLimited, comment_post
from core.client import address_fingerprint, client_ip
from security.origin import is_cross_site

AWAITING_MODERATION = "Your comment is awaiting moderation."
PUBLISHED = "Your comment has been published."
CROSS_SITE = (
    "This comment was sent from another website, so it was not posted. "
    "If you wrote it here, please write it again below."
)


# No CSRF token: the form sits on article pages that every reader and every cache shares.
# The browser's own word on where the post comes from is checked instead (security.origin).
@method_decorator(csrf_exempt, name="dispatch")
class CommentCreateView(ArticleDetailView):
    """POST a comment to a published article, then redirect back to it (POST/redirect/GET).

    A form with errors re-renders the article page with status 400 and the reader's text kept.
    A post that a browser says comes from another site answers 403 with an empty form and
    nothing stored. Closed comments answer 403 and too many comments from one address 429,
    both as readable pages; an unpublished article answers 404 like its page does.
    """

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        self.object = article = self.get_object()
        if not article.comments_open:
            return self.render_article(status=403)
        if is_cross_site(request):
            # An empty form: another site must not get its text displayed on ours.
            return self.render_article(comment_refused=CROSS_SITE, status=403)
        form = CommentForm(request.POST)
        if form.is_bot:
            # Answer as if it worked so the bot learns nothing; nothing is stored.
            messages.success(request, AWAITING_MODERATION)
            return HttpResponseRedirect(article.get_absolute_url())
        if not form.is_valid():
            return self.render_article(comment_form=form, status=400)
        try:
            comment = comment_post(
                article=article,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                body=form.cleaned_data["body"],
                ip_hash=address_fingerprint(client_ip(request)),
                user_agent=request.headers.get("User-Agent", ""),
            )
        except CommentsClosed:
            return self.render_article(status=403)
        except RateLimited as limited:
            response = render(
                request,
                "429.html",
                {
                    "article": article,
                    "limit": limited.limit,
                    "window_minutes": round(limited.window.total_seconds() / 60),
                    "body": form.cleaned_data["body"],
                },
                status=429,
            )
            response["Retry-After"] = str(limited.retry_after)
            return response
        if comment.status == Comment.Status.APPROVED:
            messages.success(request, PUBLISHED)
        else:
            messages.success(request, AWAITING_MODERATION)
        return HttpResponseRedirect(article.get_absolute_url())

    def render_article(self, *, status: int, **context):
        response = self.render_to_response(self.get_context_data(**context))
        response.status_code = status
        return response
