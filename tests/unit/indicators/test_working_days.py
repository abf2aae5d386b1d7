from datetime import date

from placewise.indicators.working_days import (
    add_working_days,
    bank_holidays,
    easter_sunday,
    working_days_between,
)


def test_easter_dates_known_from_the_calendar():
    assert easter_sunday(2024) == date(2024, 3, 31)
    assert easter_sunday(2025) == date(2025, 4, 20)
    assert easter_sunday(2019) == date(2019, 4, 21)


def test_bank_holidays_with_one_off_changes():
    # 2020: early May bank holiday moved to Friday 8 May for VE Day.
    assert date(2020, 5, 8) in bank_holidays(2020) and date(2020, 5, 4) not in bank_holidays(2020)
    # 2022: spring bank holiday moved for the Platinum Jubilee, plus the state funeral.
    assert {date(2022, 6, 2), date(2022, 6, 3), date(2022, 9, 19)} <= set(bank_holidays(2022))
    # 2023: the coronation.
    assert date(2023, 5, 8) in bank_holidays(2023)


def test_christmas_substitute_days():
    # 2021: Christmas on Saturday → Monday 27 and Tuesday 28 December.
    assert {date(2021, 12, 27), date(2021, 12, 28)} <= set(bank_holidays(2021))
    # 2022: Christmas on Sunday → Boxing Day Monday 26, substitute Tuesday 27.
    assert {date(2022, 12, 26), date(2022, 12, 27)} <= set(bank_holidays(2022))


def test_working_days_over_christmas_counted_by_hand():
    # Fri 20 Dec 2024 → Fri 3 Jan 2025: 23, 24, 27, 30, 31 Dec and 2, 3 Jan.
    assert working_days_between(date(2024, 12, 20), date(2025, 1, 3)) == 7
    # Same day is zero; the next working day is one.
    assert working_days_between(date(2024, 3, 28), date(2024, 3, 28)) == 0
    # Thu 28 Mar 2024 → Tue 2 Apr 2024 across Good Friday and Easter Monday: only Tue 2 Apr.
    assert working_days_between(date(2024, 3, 28), date(2024, 4, 2)) == 1


def test_adding_working_days_skips_weekends_and_holidays():
    assert add_working_days(date(2024, 3, 28), 1) == date(2024, 4, 2)
    assert add_working_days(date(2024, 12, 20), 7) == date(2025, 1, 3)
