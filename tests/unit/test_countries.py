"""Countries as the lists write them (loaders.base.country_code, read by countrynames)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from countrynames.data import DATA
from countrynames.util import normalize_name, process_data

from graph.resolve.compare import _place_words
from loaders.base import country_code, country_codes

LISTS = Path(__file__).resolve().parents[2] / "data"


@pytest.mark.parametrize("text, code", [
    ("Russian Federation (as at November 2010)", "RU"),  # OFSI
    ("Congo (Democratic Republic)", "CD"),               # OFSI: not Congo-Brazzaville
    ("Congo, Republic of the", "CG"),
    ("Ukrainian", "UA"),                                 # once GB: "ukrainian" starts with "uk"
    ("Mauritian", "MU"),                                 # countrynames reads Mauritania
    ("Ukranian ", "UA"),                                 # DFAT's sheet, row 7987
    ("NETHERLANDS ANTILLES", "AN"),                      # OFAC's add.csv
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


def test_countrynames_table_is_kept_on_disk_and_read_back_the_same(tmp_path):
    """A fresh process reads countrynames' table from SANCT_LOCAL_DIR/cache, written by
    the first: the same names and codes countrynames builds itself."""
    probe = (  # where graph.loading.load puts it
        "import json, countrynames, loaders.base; from graph import settings; "
        "loaders.base.country_names_cache = settings.load().local_dir / 'cache'; "
        "loaders.base.country_code('Russian Federation'); print(json.dumps(countrynames.COUNTRY_NAMES))"
    )
    env = {**os.environ, "SANCT_LOCAL_DIR": str(tmp_path)}
    first, second = (
        json.loads(subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True,
                                  text=True, check=True).stdout)
        for _ in range(2)
    )
    [cached] = (tmp_path / "cache").glob("countrynames-*.json")
    built = {norm: code for code, norm, _ in process_data(DATA)}
    assert first == second == json.loads(cached.read_text(encoding="utf-8")) == built
    assert len(built) > 20_000 and built[normalize_name("Russian Federation")] == "RU"


def test_a_list_parsed_with_the_kept_table_is_the_same_bytes(tmp_path):
    """The load's fingerprint digests the parsed records as pickled: with the table read
    back from disk a list must pickle as with the table countrynames builds, or a list
    loaded before the table was kept reads as changed and is written again."""
    probe = (
        "import hashlib, sys, tempfile, loaders.base; from pathlib import Path; "
        "from graph.loading import parse; "
        "loaders.base.country_names_cache = Path(sys.argv[1]) if sys.argv[1] else None; "
        "spool = tempfile.TemporaryFile(); parse('eu-oj-csv', [Path(sys.argv[2])], spool, None); "
        "spool.seek(0); print(hashlib.sha256(spool.read()).hexdigest())"
    )
    listed = LISTS / "eu" / "eu_oj_32020R1998.csv"  # nationalities and countries, some twice a record
    built, writing, reading = (
        subprocess.run([sys.executable, "-c", probe, cache, str(listed)], capture_output=True,
                       text=True, check=True).stdout
        for cache in ("", str(tmp_path), str(tmp_path))
    )
    assert list(tmp_path.glob("countrynames-*.json"))
    assert built == writing == reading
