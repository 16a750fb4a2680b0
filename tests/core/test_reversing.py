import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from core.reversing import reverse_slug


@pytest.mark.parametrize("slug", ["rice-harvest-2", "a", "A_b-9"])
def test_an_address_by_slug_is_the_one_reverse_gives(slug):
    assert reverse_slug("articles:detail", slug) == reverse("articles:detail", args=[slug])
    assert reverse_slug("articles:tag", slug) == reverse("articles:tag", args=[slug])


def test_an_address_by_slug_follows_the_script_prefix():
    try:
        set_script_prefix("/paper/")
        assert reverse_slug("articles:detail", "rice") == "/paper/articles/rice/"
    finally:
        set_script_prefix("/")
    assert reverse_slug("articles:detail", "rice") == "/articles/rice/"


@pytest.mark.parametrize("slug", ["", "điện-biên", "a/b", "a b"])
def test_a_slug_the_address_refuses_raises_as_reverse_does(slug):
    with pytest.raises(NoReverseMatch):
        reverse_slug("articles:detail", slug)


def test_the_address_tag_prints_what_the_url_tag_prints_under_any_script_prefix():
    from django.template import Context, Template

    template = Template(
        "{% load addresses %}{% address 'frontpage:home' %} {% address 'articles:feed' %} "
        "{% address 'sections:feed' slug %}|"
        "{% url 'frontpage:home' %} {% url 'articles:feed' %} {% url 'sections:feed' slug %}"
    )
    for prefix in ("/", "/paper/"):
        try:
            set_script_prefix(prefix)
            ours, django = template.render(Context({"slug": "van-hoa"})).split("|")
        finally:
            set_script_prefix("/")
        assert ours == django
        assert ours.startswith(prefix)
