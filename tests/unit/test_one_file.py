"""The loaders of formats that come as one file (loaders/base.py one_file) refuse a folder
or several files with an error that names the path and says what to give."""

import pytest

from graph.exc import LoadError
from loaders import get

#: Each format read from one file, and what its error asks for.
ONE_FILE = {
    "au-dfat": "the one Consolidated List file (regulation8_consolidated.xlsx)",
    "ca-sema-xml": "the one sema-lmes.xml file",
    "eu-fsf-xml": "one FSF XML file",
    "eu-oj-csv": "one consolidated annex CSV file",
    "ftm": "one FtM JSON lines file",
    "ofac-advanced-xml": "one OFAC advanced XML file (sdn_advanced.xml or cons_advanced.xml)",
    "ofac-sdn-xml": "one SDN.XML-layout file",
    "uk-fcdo-xml": "the one UK Sanctions List XML file",
    "uk-ofsi": "the one ConList file (.xlsx or .csv)",
    "un-xml": "one UN consolidated list XML file",
}


@pytest.mark.parametrize("kind", sorted(ONE_FILE))
def test_a_folder_or_two_files_are_refused_by_name(kind, tmp_path):
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text("x")
    second.write_text("y")
    for paths, named in (([tmp_path], tmp_path), ([first, second], first)):
        with pytest.raises(LoadError) as refused:
            list(get(kind)().read(paths))
        assert str(refused.value) == f"{named}: give {ONE_FILE[kind]}"
