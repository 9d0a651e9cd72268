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


def test_legal_forms_by_kind():
    assert legal_forms("ROSOBORONEKSPORT OAO") == legal_forms("Rosoboroneksport PJSC")
    assert legal_forms("Stroytransgaz LLC") != legal_forms("Stroytransgaz OJSC")
    assert legal_forms("Kaveh Cutting Tools Company") == frozenset()
