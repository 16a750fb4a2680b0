from django import template

from editorial.selectors import desk_panels

register = template.Library()


@register.inclusion_tag("admin/includes/desk.html", takes_context=True)
def newsroom_desk(context):
    """The stories that wait for the signed-in journalist, by role, on the admin's home."""
    request = context["request"]
    return {"panels": desk_panels(user=request.user)}
