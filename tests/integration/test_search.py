"""Search as an investigator tries it, on the demo data (every bundled list and the
curated case) in a real Neo4j: acronyms, native script and pinyin, list references, and
any characters typed."""

from __future__ import annotations

import pytest

from graph.client import CONFIDENT_SCORE, _fulltext_query, _reference_candidates
from graph.names import ACRONYM_SCORE, SearchText

XPCC, XPSB, XPCC_PSB, CHEN_MINGGUO = ("us-ofac-sdn:29299", "us-ofac-sdn:29159", "gb-ofsi:14079",
                                     "gb-ofsi:14074")


def entity_of(g, record_key: str) -> str:
    return g.entity(record_key)["id"]


def best(g, text: str):
    found = g.search(text)
    assert not found.empty, text
    return found.iloc[0]


def test_acronyms_find_what_they_stand_for(demo_graph):
    g = demo_graph
    xpcc, xpsb, psb = (entity_of(g, k) for k in (XPCC, XPSB, XPCC_PSB))
    assert len({xpcc, xpsb, psb}) == 3  # three targets, whatever they are called
    top = best(g, "XPCC")
    assert (top.id, top.score) == (xpcc, ACRONYM_SCORE)
    assert top.score >= CONFIDENT_SCORE
    assert best(g, "XPSB").id == xpsb
    found = g.search("XPCC Public Security Bureau")
    assert found.id[0] == psb and found.score[0] >= CONFIDENT_SCORE
    assert found.score[1] < CONFIDENT_SCORE  # the Xinjiang PSB is only alike


def test_the_names_people_use_find_the_xpcc(demo_graph):
    g = demo_graph
    xpcc = entity_of(g, XPCC)
    for text in ("Bingtuan", "新疆生产建设兵团", "Xinjiang Shengchan Jianshe Bingtuan"):
        top = best(g, text)
        assert (top.id, top.score) == (xpcc, 1.0), text
    # The names came with their sources, and did not join the XPCC to its bureau.
    curated = next(r for r in g.entity(xpcc)["records"] if r["key"] == "curated:xpcc")
    assert "https://en.wikipedia.org/wiki/Xinjiang_Production_and_Construction_Corps" in curated["extra"]
    assert entity_of(g, XPCC_PSB) != xpcc
    # In Han characters, the bureau's name finds the bureau through the pinyin the UK writes.
    assert best(g, "新疆生产建设兵团公安局").id == entity_of(g, XPCC_PSB)


def test_a_persons_first_name_and_surname_find_the_person(demo_graph):
    """Typed without a patronymic, as people say them: no list writes "Alexander
    Lukashenko" whole (OFAC: "LUKASHENKA, Alyaksandr Ryhorovich", a.k.a. "LUKASHENKO,
    Alexander Hryhoryavich"), and "Alexander Yushchenko" or "Alexander USHKO" share
    more letters with it than any of his names."""
    g = demo_graph
    president = entity_of(g, "us-ofac-sdn:9760")
    for text in ("Alexander Lukashenko", "Aleksandr Lukashenko", "Alyaksandr Lukashenka"):
        top = best(g, text)
        assert top.id == president, (text, g.search(text).head(3))
        assert top.score < CONFIDENT_SCORE  # only "like": the page lists the others
    # A surname alone finds every Lukashenka, above anyone else, and opens none of them.
    found = g.search("Lukashenka")
    family = found[found.name.str.contains("LUKASHENK", case=False)]
    assert president in set(family.id) and len(family) >= 4
    assert list(found.index[: len(family)]) == list(family.index), found
    assert found.score[0] < CONFIDENT_SCORE


@pytest.mark.parametrize("text", ["GHR0075", "ghr0075"])
def test_a_uk_sanctions_list_reference_finds_its_entity(demo_graph, text):
    top = best(demo_graph, text)
    assert top.id == entity_of(demo_graph, CHEN_MINGGUO)
    assert (top.score, top.matched) == (1.0, f"{text} ({CHEN_MINGGUO})")


def test_list_record_ids_and_keys_still_find_their_entities(demo_graph):
    g = demo_graph
    assert best(g, "29220").id == best(g, "chen quanguo").id
    assert best(g, XPCC_PSB).id == entity_of(g, XPCC_PSB)
    # A UK reference in the UN's form ("(UK Sanctions List Ref):SDi.005").
    assert best(g, "SDi.005").id == entity_of(g, "gb-ofsi:16681")
    # A curated record's id is a slug of this project's, not a list's: its key finds it.
    assert best(g, "curated:xpcc").matched == "curated:xpcc"


@pytest.mark.parametrize("text", ["*", '"', "~", ".*", "' OR 1=1 --", "\\", "AND", "OR NOT",
                                  "chen~ OR *:* AND name:[a TO z]", "a " * 2000, "x" * 3000])
def test_any_characters_are_text_never_an_error(demo_graph, text):
    found = demo_graph.search(text)
    assert list(found.columns) == ["id", "name", "kind", "score", "jurisdictions", "matched"]
    assert found.empty or found.score[0] < CONFIDENT_SCORE


def test_lucene_syntax_is_escaped_or_left_out():
    assert _fulltext_query(SearchText("*")) == ""
    assert _fulltext_query(SearchText(".*")) == ""
    assert _fulltext_query(SearchText("chen~ OR *:*")) == "chen or chenor"
    assert _fulltext_query(SearchText("新疆")).endswith("新 疆")
    # Long text asks about MAX_QUERY_WORDS words at most: Lucene caps a query's clauses.
    assert len(_fulltext_query(SearchText("abcdefgh " * 500)).split()) <= 13


def test_only_text_with_letters_and_digits_may_be_a_reference():
    assert "gb-ref:ghr0075" in _reference_candidates("GHR0075")
    assert "un:qdi.268" in _reference_candidates("QDi.268")
    assert _reference_candidates("29220") == []  # a record id: the index finds it
    assert _reference_candidates("chen quanguo") == [] and _reference_candidates("*") == []
