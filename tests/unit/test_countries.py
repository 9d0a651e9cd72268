"""Countries as the lists write them (loaders.base.country_code, read by countrynames)."""

import pytest

from graph.resolve.compare import _place_words
from loaders.base import country_code, country_codes


@pytest.mark.parametrize("text, code", [
    ("Russian Federation (as at November 2010)", "RU"),  # OFSI
    ("Congo (Democratic Republic)", "CD"),               # OFSI: not Congo-Brazzaville
    ("Congo, Republic of the", "CG"),
    ("Ukrainian", "UA"),                                 # once GB: "ukrainian" starts with "uk"
    ("Mauritian", "MU"),                                 # countrynames reads Mauritania
    ("Repubic of Moldova", "MD"),                        # a typo of the OFAC list
    ("Congolese", None),                                 # of two states
    ("USSR", None),                                      # a state gone
    ("Syria/Lebanon", None),                             # two: country_codes
])
def test_country_code_of_what_lists_write(text, code):
    assert country_code(text) == code


def test_several_countries_in_one_text_and_places_that_are_no_country():
    assert country_codes("Syria/Lebanon") == ["SY", "LB"]
    assert country_codes("Gaza Strip, West Bank, Southern Lebanon") == ["PS"]
    # Not the nearest name for what may be a city: only exact names.
    assert country_code("Hebron", fuzzy=False) is None


def test_a_city_read_as_its_country_is_still_a_birth_place_two_records_share():
    assert country_code("Moscow") == "RU"
    assert _place_words(("Moscow, Russia",)) == {"moscow"}
    assert _place_words(("Donetsk Region",)) == {"donetsk"}
