"""Name normalisation for search and resolution, on names as the real lists write them."""

from graph.names import contract_acronyms, fold, fold_vowels, legal_forms, name_forms, normalize


def test_case_punctuation_diacritics_and_word_order():
    assert normalize("CHEN, Quan-guo") == "chen quanguo"
    assert normalize("Nicolás MADURO MOROS") == "nicolas maduro moros"
    assert sorted(normalize("WANG, Mingshan").split()) == sorted(normalize("Mingshan Wang").split())


def test_han_script_compares_as_pinyin_apart_and_joined():
    assert normalize("陈全国") == "chen quan guo"
    assert ("chen", "quanguo") in name_forms("陈全国", organisation=False)
    assert name_forms("朱海仑", organisation=False) == (("zhu", "hai", "lun"), ("zhu", "hailun"))


def test_cyrillic_is_transliterated_and_guillemets_are_separators():
    assert normalize("Aлександр Петрович КАЛАШНИКОВ") == "aleksandr petrovich kalashnikov"
    assert normalize("АО «Центр Судоремонта «Звездочка»") == "ao tsentr sudoremonta zvezdochka"


def test_organisation_names_lose_legal_forms_and_linking_words():
    assert name_forms("Public Security Bureau of the XPCC", organisation=True) == (
        ("public", "security", "bureau", "xpcc"),)
    assert name_forms("ROSNEFT TRADING S.A.", organisation=True) == (("rosneft", "trading"),)
    # Transliterated Russian legal forms (OOO, OAO) go too.
    assert name_forms("OBSHCHESTVO S OGRANICHENNOI OTVETSTVENNOSTYU 'NOVATEK-YARSALENEFTEGAZ'",
                      organisation=True) == (("novatekyarsaleneftegaz",),)
    # A name that is nothing but a legal form is no name.
    assert name_forms("АО)", organisation=True) == ()


def test_an_acronym_a_name_spells_out_itself_is_dropped():
    assert name_forms("Islamic Revolutionary Guard Corps (IRGC)", organisation=True) == (
        ("islamic", "revolutionary", "guard", "corps"),)


def test_han_organisation_names_compare_whole():
    assert name_forms("新疆生产建设兵团公安局", organisation=True) == (
        ("xinjiangshengchanjianshebingtuangonganju",),)


def test_person_names_lose_honorifics_and_join_articles():
    assert name_forms("NOORZAI, Hajji Malik", organisation=False) == (("noorzai", "malik"),)
    assert name_forms("Mahmoud al- Zahar", organisation=False) == (("mahmoud", "alzahar"),)


def test_acronyms_are_spelt_out_against_the_other_name():
    full = name_forms("Xinjiang Production and Construction Corps Public Security Bureau", True)[0]
    short = name_forms("XPCC PSB", True)[0]
    a, b, notes = contract_acronyms(full, short)
    assert a == b == ("xpcc", "psb")
    assert notes == ["XPCC = xinjiang production construction corps", "PSB = public security bureau"]


def test_the_xpsb_is_not_an_acronym_of_the_xpcc_psb():
    xpsb = name_forms("XINJIANG PUBLIC SECURITY BUREAU", True)[0]
    xpcc_psb = name_forms("XPCC Public Security Bureau", True)[0]
    a, b, notes = contract_acronyms(xpsb, xpcc_psb)
    assert (a, b, notes) == (xpsb, xpcc_psb, [])


def test_romanisation_folds():
    assert fold("aleksandr") == fold("alexandr")
    assert fold("sergei") == fold("sergey")
    assert fold_vowels("mohammed") == fold_vowels("muhammad")
    # Short words keep their vowels: Chen and Chan, Wang and Weng stay apart.
    assert fold_vowels("chen") != fold_vowels("chan")
    # Russian ё written "yo" or "e", е written "ye" or "e": the UK and Canada write TKACHEV
    # and Yevgeny where OFAC and Australia write TKACHYOV and Evgeny (the same Duma members,
    # born the same day).
    for a, b in (("tkachyov", "tkachev"), ("fyodorov", "fedorov"), ("seleznyov", "seleznev"),
                 ("pyotr", "petr"), ("yevgeny", "evgeny"), ("sergeyevich", "sergeevich"),
                 ("yelena", "elena")):
        assert fold(a) == fold(b), (a, b)
    # Not every y: a y before o at the start of a word, or after a vowel, is a consonant.
    assert fold("yoshida") != fold("eshida") and fold("mayor") != fold("maer")
    # Belarusian surname endings as OFAC writes them, Russian ones as Canada does; not in
    # short words ("Makau" is no "Makov") nor after a vowel ("Rousseau").
    assert fold("lukashenka") == fold("lukashenko") and fold("novikau") == fold("novikov")
    assert fold("makau") != fold("makov") and fold("rousseau") != fold("rousseov")


def test_legal_forms_by_kind():
    assert legal_forms("ROSOBORONEKSPORT OAO") == legal_forms("Rosoboroneksport PJSC")
    assert legal_forms("Stroytransgaz LLC") != legal_forms("Stroytransgaz OJSC")
    assert legal_forms("Kaveh Cutting Tools Company") == frozenset()


# -- search ---------------------------------------------------------------------------------

from graph.names import (ACRONYM_SCORE, PART_SCORE, SearchText, best_name, initialisms, pinyin_readings,  # noqa: E402
                         search_forms, search_score)


def score(text: str, name: str, organisation: bool = True) -> float:
    return search_score(SearchText(text), name, organisation)


def test_initialisms_of_a_name_without_its_linking_words():
    assert "xpcc" in initialisms("Xinjiang Production and Construction Corps")
    assert "xpsb" in initialisms("XINJIANG PUBLIC SECURITY BUREAU")
    # Where a linking word counts, the initials of every word: Bank of China is BOC.
    assert "boc" in initialisms("Bank of China")
    # Without the acronym the name already spells out in brackets.
    assert initialisms("Islamic Revolutionary Guard Corps (IRGC)")[0] == "irgc"
    # Two words make no acronym worth the name; Han syllables make none anyone uses.
    assert initialisms("Rosneft PJSC") == [] and initialisms("新疆生产建设兵团") == []


def test_search_forms_hold_initialisms_runs_and_pinyin():
    forms = search_forms(["XINJIANG PRODUCTION AND CONSTRUCTION CORPS PUBLIC SECURITY BUREAU"])
    assert "xpccpsb" in forms
    # The runs of words, in one form: "XPCC" finds the names that begin with the XPCC's.
    runs = next(f for f in forms if f.startswith("xpc "))
    assert "xpcc" in runs.split()
    # pypinyin reads a phrase as a phrase: 银行 is yinhang (bank), not yinxing.
    assert "chongqingyinhang" in search_forms(["重庆银行"])
    assert "chen quanguo" in search_forms(["陈全国"])


def test_pinyin_readings():
    assert pinyin_readings("重庆银行")[0] == "chong qing yin hang"  # anyascii: zhong qing yin xing
    assert pinyin_readings("陈全国") == ["chen quan guo", "chen quanguo"]
    assert pinyin_readings("Chen Quanguo") == []


def test_a_name_as_written_in_any_script_or_order_scores_one():
    assert score("chen quanguo", "CHEN, Quanguo", False) == 1.0
    assert score("Quanguo Chen", "陈全国", False) == 1.0
    assert score("陈全国", "CHEN, Quan-guo", False) == 1.0
    assert score("Chongqing Yinhang", "重庆银行") == 1.0
    # Han text against the pinyin a list writes, in other word breaks.
    assert score("新疆生产建设兵团公安局", "XINJIANG SHENGCHAN JIANSHE BINGTUAN GONG'AN JU") == 1.0


def test_acronyms_score_below_a_name_as_written_and_above_a_near_miss():
    assert score("XPCC", "Xinjiang Production and Construction Corps") == ACRONYM_SCORE
    assert score("XPSB", "XINJIANG PUBLIC SECURITY BUREAU") == ACRONYM_SCORE
    assert score("XPCC Public Security Bureau", "XPCC PSB") == ACRONYM_SCORE
    assert score("XPCC Public Security Bureau",
                 "XINJIANG PRODUCTION AND CONSTRUCTION CORPS PUBLIC SECURITY BUREAU") == ACRONYM_SCORE
    assert score("IRGC", "Islamic Revolutionary Guard Corps (IRGC)") == ACRONYM_SCORE
    assert score("boc", "Bank of China") == ACRONYM_SCORE
    # The XPSB is no XPCC PSB, and the XPCC is not its own bureau.
    assert score("XPCC Public Security Bureau", "XINJIANG PUBLIC SECURITY BUREAU") < 0.9
    assert score("XPCC", "XPCC PSB") < 0.9
    # A person's initials are not a name.
    assert score("cqg", "Chen Quan Guo", organisation=False) < 0.5


def test_scores_mean_the_same_whatever_was_typed():
    # A letter wrong in a name of ten or twelve: above 0.9, where the app opens a match.
    assert 0.9 <= score("chen quangou", "CHEN, Quanguo", False) < ACRONYM_SCORE
    assert 0.9 <= score("Xinjiang Public Security Burea", "XINJIANG PUBLIC SECURITY BUREAU") < 1.0
    # Text that is only like a name scores as little as it shares with it.
    assert score("' OR 1=1 --", "NOOR 1", False) < 0.7
    assert score("*", "NOOR 1") == 0.0
    # The name outside the brackets, and the words an acronym in front stands for.
    assert score("Minsk Wheel Tractor Plant", "MZKT (MINSK WHEEL TRACTOR PLANT)") == 1.0
    assert score("Hong Kong", "HAINENG MACHINERY (HONG KONG) CO.") < 0.5


def test_a_persons_name_typed_in_part_scores_below_confident_and_above_a_near_miss():
    # Every typed word is a word of the name: just below PART_SCORE, less for more left out.
    two_of_three = score("Alexander Lukashenko", "LUKASHENKO, Alexander Hryhoryavich", False)
    one_of_three = score("Lukashenko", "LUKASHENKO, Alexander Hryhoryavich", False)
    assert 0.8 < one_of_three < two_of_three <= PART_SCORE < 0.9
    # As many words, one of them another: no more than the words in common.
    assert score("Alexander Lukashenko", "Alexander YUSHCHENKO", False) < 0.6
    assert score("Alexander Lukashenko", "Alexander USHKO", False) < 0.6
    # A letter wrong is still the name (0.9 and more, unchanged).
    assert score("chen quangou", "CHEN, Quanguo", False) >= 0.9
    # Organisations keep the letters' score: "Hong Kong" is in many companies' names.
    assert score("Hong Kong", "HAINENG MACHINERY (HONG KONG) CO.") < 0.5


def test_best_name_says_which_name_matched():
    names = ["XINJIANG PRODUCTION AND CONSTRUCTION CORPS", "Bingtuan", "新疆生产建设兵团"]
    assert best_name(SearchText("bingtuan"), names, True) == (1.0, "Bingtuan")
    assert best_name(SearchText("Xinjiang Shengchan Jianshe Bingtuan"), names, True) == (1.0, "新疆生产建设兵团")
    assert best_name(SearchText("xpcc"), names, True) == (ACRONYM_SCORE, names[0])
