"""The newsroom's roles, defined once. Reporters write and submit; editors run every
transition, correct, pin home-page stories, read the audit log and moderate comments
(PUBLISH_PERMISSION in editorial.permissions is what makes an editor); moderators only
moderate comments."""

REPORTER = "Reporter"
EDITOR = "Editor"
# Staff who only moderate reader comments (and keep the banned-word list).
MODERATOR = "Moderator"
MODERATION = {
    "comments": [
        "view_comment", "change_comment",
        "view_bannedword", "add_bannedword", "change_bannedword", "delete_bannedword",
    ],
}  # fmt: skip

# Group -> app label -> permission codenames.
GRANTS = {
    REPORTER: {
        "articles": [
            "add_article", "change_article", "view_article", "delete_article", "view_author",
            "view_series",
        ],
        # Entries to the live stories an editor named them on (live.permissions).
        "live": ["add_liveentry", "change_liveentry", "view_liveentry", "view_livecoverage"],
        "pictures": ["add_bodyimage", "view_bodyimage"],
        "sections": ["view_section"],
    },
    EDITOR: {
        "articles": [
            "add_article", "change_article", "view_article", "delete_article", "publish_article",
            "add_author", "change_author", "view_author",
            "add_correction", "view_correction",
            "view_historicalarticle",
            "add_tag", "change_tag", "view_tag",
            "add_series", "change_series", "view_series", "delete_series",
        ],
        "auditlog": ["view_auditevent"],
        "editorial": ["view_articletransition"],
        "frontpage": [
            "add_paperpage", "change_paperpage", "delete_paperpage", "view_paperpage",
            "add_homepick", "change_homepick", "delete_homepick", "view_homepick",
            "add_breakingnews", "change_breakingnews", "delete_breakingnews",
            "view_breakingnews",
        ],
        "live": [
            "add_livecoverage", "change_livecoverage", "delete_livecoverage",
            "view_livecoverage",
            "add_liveentry", "change_liveentry", "delete_liveentry", "view_liveentry",
        ],
        "pictures": ["add_bodyimage", "change_bodyimage", "view_bodyimage"],
        "sections": ["view_section"],
        **MODERATION,
    },
    MODERATOR: MODERATION,
}  # fmt: skip


def grant_roles(apps) -> None:
    """Create the groups with their permissions (which must exist); safe to run again.

    `apps`: a migration's app registry, or django.apps.apps."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, grants in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for app_label, codenames in grants.items():
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label=app_label, codename__in=codenames
                )
            )
