"""Who may do what with live stories, used by the admin (what a page offers) and by the
services (what the server does).

Editors (whoever may change live stories: the Editor group) set a story live, name the
reporters who may post to it, and post, edit, pin, mark and delete any entry. A reporter
named on a story posts entries to it and corrects their own; pinning, marking as key and
deleting stay with the editors."""

MANAGE_PERMISSION = "live.change_livecoverage"


def is_live_editor(user) -> bool:
    return user.is_authenticated and user.is_active and user.has_perm(MANAGE_PERMISSION)


def postable_coverages(user, queryset=None):
    """The live stories `user` may post entries to."""
    from live.models import LiveCoverage

    queryset = LiveCoverage.objects.all() if queryset is None else queryset
    if not (user.is_authenticated and user.is_active and user.has_perm("live.add_liveentry")):
        return queryset.none()
    if is_live_editor(user):
        return queryset
    return queryset.filter(reporters=user)


def can_post(user, coverage) -> bool:
    return postable_coverages(user).filter(pk=coverage.pk).exists()


def can_change(user, entry) -> bool:
    """Editors change any entry; a reporter their own, while still named on the story."""
    if is_live_editor(user) and user.has_perm("live.change_liveentry"):
        return True
    return (
        user.is_authenticated
        and user.has_perm("live.change_liveentry")
        and entry.created_by_id == user.pk
        and can_post(user, entry.coverage)
    )


def can_delete(user, entry) -> bool:
    return is_live_editor(user) and user.has_perm("live.delete_liveentry")


def can_feature(user) -> bool:
    """Whether `user` may pin an entry or mark it as key."""
    return is_live_editor(user)
