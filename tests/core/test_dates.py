import datetime
from zoneinfo import ZoneInfo

from core.dates import gmt_label, paper_isoformat, paper_time

UTC = datetime.UTC


def test_paper_time_is_indochina_time_whatever_zone_the_value_is_in():
    noon_in_paris = datetime.datetime(2026, 7, 1, 12, 0, tzinfo=ZoneInfo("Europe/Paris"))
    assert paper_time(noon_in_paris).isoformat() == "2026-07-01T17:00:00+07:00"


def test_iso_dates_carry_plus_seven_to_the_second():
    value = datetime.datetime(2026, 2, 9, 20, 0, 5, 123456, tzinfo=UTC)
    assert paper_isoformat(value) == "2026-02-10T03:00:05+07:00"


def test_gmt_label_is_the_offset_as_vietnamese_papers_print_it(settings):
    assert gmt_label(datetime.datetime(2026, 1, 1, tzinfo=UTC)) == "GMT+7"
    settings.TIME_ZONE = "Asia/Kolkata"
    assert gmt_label(datetime.datetime(2026, 1, 1, tzinfo=UTC)) == "GMT+5:30"


def test_a_time_element_prints_what_the_date_filters_print(settings):
    from django.template import Context, Template
    from django.utils import timezone, translation

    filters = Template(
        "{% load paper_time %}<time datetime=\"{{ v|date:'Y-m-d\\TH:i:sO' }}\">"
        '{{ v|date:"j F Y, H:i" }}</time>'
    )
    tag = Template("{% load paper_time %}{% time_element v %}")
    values = [
        datetime.datetime(2026, 2, 9, 20, 0, 5, 123456, tzinfo=UTC),  # the next day at +7
        datetime.datetime(2026, 12, 31, 16, 59, 59, tzinfo=UTC),
        datetime.datetime(2025, 3, 30, 1, 30, tzinfo=UTC),  # Europe's clocks change
        datetime.datetime(2026, 7, 4, 9, 5, tzinfo=ZoneInfo("America/New_York")),
        None,
    ]
    zones = ["Asia/Ho_Chi_Minh", "Europe/London", "Asia/Kolkata", "America/St_Johns"]
    for zone in zones:
        for language in ["en", "vi"]:
            with timezone.override(zone), translation.override(language):
                for value in values:
                    expected = filters.render(Context({"v": value}))
                    assert tag.render(Context({"v": value})) == expected, (zone, language)
    with timezone.override("Europe/London"):
        printed = tag.render(Context({"v": values[0]}))
    assert printed == '<time datetime="2026-02-09T20:00:05+0000">9 February 2026, 20:00</time>'
