"""The code digest in every load's input digest (graph/loading.py), which lets a load of
the same inputs be skipped before it parses: a library installed or upgraded may change
what a load writes (countrynames' table, the spreadsheet reader), so it changes the digest."""

import sys

from graph import loading


def code_digest() -> str:
    return loading._code_digest.__wrapped__()  # not the process's cached one


def test_a_library_installed_or_upgraded_changes_the_code_digest(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "path", [str(tmp_path), *sys.path])
    before = code_digest()
    (tmp_path / "countrynames-1.16.10.dist-info").mkdir()
    installed = code_digest()
    (tmp_path / "countrynames-1.16.10.dist-info").rename(tmp_path / "countrynames-1.16.11.dist-info")
    upgraded = code_digest()
    assert len({before, installed, upgraded}) == 3
    # A folder beside them that holds no library's metadata does not count.
    (tmp_path / "notes").mkdir()
    assert code_digest() == upgraded


def test_a_path_entry_that_cannot_be_listed_is_passed_over(tmp_path, monkeypatch):
    """sys.path may name a zip or a folder that is gone: the digest is made without it."""
    before = code_digest()
    monkeypatch.setattr(sys, "path", [str(tmp_path / "gone"), str(tmp_path / "lib.zip"), *sys.path])
    (tmp_path / "lib.zip").write_bytes(b"PK")
    assert code_digest() == before
