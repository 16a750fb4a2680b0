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
