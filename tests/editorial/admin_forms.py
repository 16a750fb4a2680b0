"""Build the POST a browser would send from an admin change form, from the rendered page."""

from django.db.models.fields.files import FieldFile
from taggit.utils import edit_string_for_tags


def change_form_data(response, **changes) -> dict:
    """The admin form's current values (inlines included), with `changes` applied."""
    data = {}
    form = response.context["adminform"].form
    forms = [form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        forms.extend(formset.forms)
    for each in forms:
        for name in each.fields:
            value = each[name].value()
            if value is None or value is False or isinstance(value, FieldFile):
                continue
            if name == "tags" and not isinstance(value, str):
                value = edit_string_for_tags(value)
            data[each.add_prefix(name)] = value
    data.update(changes)
    return data
