"""Signals of the comments app, for what other apps follow without being imported here."""

from django.dispatch import Signal

# Comments entered or left the approved ones in a write that sends no model signal (a post,
# a moderator's bulk decision): the pages that show or count them change.
approved_comments_changed = Signal()
