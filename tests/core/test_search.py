import json
import shutil
from functools import lru_cache
from pathlib import Path

import pytest

from bot.core.deck import DeckError, load_deck
from bot.core.retrieval.analysis import Analyzer, fold, key, words
from bot.core.retrieval.rules import MAX_WORDS
from bot.core.search import SearchIndex, Synonyms


@lru_cache(maxsize=1)
def index() -> SearchIndex:
    return SearchIndex(load_deck())


def test_fold_strips_accents_and_case() -> None:
    assert fold("Financiën én Überhaupt") == "financien en uberhaupt"


def test_stopwords_are_dropped() -> None:
    assert words("De inwoner is het er niet mee eens") == ["inwoner", "mee"]


def test_inflections_meet_on_one_key() -> None:
    assert key("schulden") == key("schuld")
    assert key("overleed") == key("overlijden")
    assert key("brieven") == key("brief")
    assert key("verkeerd") == key("verkeerde")  # the lemmatiser reads "verkeerd" as a form of "verkeren"


def test_ge_words_keep_their_meaning() -> None:
    assert key("gezin") != key("zin")


def test_compound_is_split_into_known_parts() -> None:
    analyzer = Analyzer({key("huur"), key("achterstand"), key("schuld"), key("hulp"), key("verlening")})
    assert analyzer.split("huurachterstand") == [key("huur"), key("achterstand")]
    assert analyzer.split("schuldhulpverlening") == [key("schuld"), key("hulp"), key("verlening")]
    assert analyzer.split("appeltaart") == []


def test_synonyms_link_every_word_of_a_concept() -> None:
    synonyms = Synonyms([["schulden", "betalingsachterstand"]])
    assert key("betalingsachterstand") in synonyms.related(key("schuld"))


def test_caseworker_words_find_the_card_words() -> None:
    hits = index().signals("ze durft de brieven niet open te maken en wantrouwt de overheid")
    ids = [h.item.id for h in hits[:3]]
    assert "S-16" in ids
    assert "S-20" in ids


def test_matched_words_are_the_users_own_words() -> None:
    hits = index().signals("Meneer heeft grote Schulden")
    assert hits
    assert all(word in "meneer heeft grote schulden" for hit in hits for word in hit.matched)


def test_unrelated_text_finds_nothing() -> None:
    assert index().signals("Ajax speelde gelijk tegen Feyenoord") == []
    assert index().arguments("lekker weer vandaag").empty


def test_results_are_sorted_and_capped() -> None:
    hits = index().signals("schulden, ziekte, toeslagenaffaire en wantrouwen tegen de overheid", top=3)
    assert len(hits) == 3
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_arguments_come_on_both_sides_without_weighing_sides_against_each_other() -> None:
    result = index().arguments("gelijke behandeling en precedentwerking")
    assert result.voor
    assert result.tegen
    assert all(h.item.stance.value == "voor" for h in result.voor if h.item.stance)
    assert all(h.item.stance.value == "tegen" for h in result.tegen if h.item.stance)


def test_json_shape_is_stable() -> None:
    hit = index().signals("grote schulden")[0]
    assert set(hit.to_json()) == {"id", "kaart", "groep", "tekst", "score"}
    assert set(index().arguments("kosten").to_json()) == {"voor", "tegen"}


def test_search_is_deterministic() -> None:
    text = "mevrouw kan de huur niet betalen sinds haar man overleed"
    assert [h.to_json() for h in index().signals(text)] == [h.to_json() for h in SearchIndex(load_deck()).signals(text)]


def test_a_part_of_a_compound_alone_is_no_evidence() -> None:
    # "gemeente" is a caseworker term, but inside "gemeentehuis" it says nothing about a case.
    assert index().signals("ik fiets elke ochtend langs het gemeentehuis") == []
    assert index().signals("de gemeente wees ons op deze casus")
    # An everyday part ("werk" in "thuiswerken") does not make a pair of rare words with another word;
    # a part that is no everyday word ("traject" in "re-integratietraject") does.
    assert index().arguments("morgen thuiswerken, zet je afspraken om naar Teams").empty
    hits = index().signals("ze wil alleen de toeslag, zonder het hele re-integratietraject")
    assert "S-02" in [h.item.id for h in hits]


def test_item_words_must_name_items_of_the_deck(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(Path(__file__).resolve().parents[2] / "content", content)
    words = content / "kaartwoorden.yaml"
    words.write_text(words.read_text(encoding="utf-8").replace("  S-38:", "  S-99:"), encoding="utf-8")
    with pytest.raises(KeyError):
        SearchIndex(load_deck(content))


def test_caseworker_words_of_an_item_find_it() -> None:
    hits = index().signals("de wijkagent belde over deze bewoner")
    assert "S-32" in [h.item.id for h in hits[:3]]


def test_a_phrase_is_found_in_any_order_when_its_words_stand_close() -> None:
    analyzer = Analyzer()
    (phrase,) = analyzer.entry_keys("wakker liggen")
    assert phrase in analyzer.keys("ze ligt 's nachts wakker van de brieven")
    assert phrase in analyzer.keys("ik lig er wakker van")
    assert phrase not in analyzer.keys("ze lag op de bank en was de hele dag klaarwakker en toen pas wakker")
    assert phrase not in analyzer.keys("wakker")


def test_a_compound_makes_a_phrase_with_its_own_parts_not_with_its_neighbours() -> None:
    analyzer = Analyzer({key("school"), key("jaar"), key("vooruit"), key("kijken")})
    (years,) = analyzer.entry_keys("al jaren")
    (ahead,) = analyzer.entry_keys("vooruit kijken")
    assert years in analyzer.keys("ze wacht al jaren op een oplossing")
    assert years not in analyzer.keys("dit schooljaar al veertig dagen afwezig")  # "al" goes with the days
    assert ahead in analyzer.keys("ze kan weer vooruitkijken")
    assert ahead in analyzer.keys("ze kijkt weer vooruit")


def test_a_word_list_entry_of_stop_words_only_is_rejected(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(Path(__file__).resolve().parents[2] / "content", content)
    words = content / "kaartwoorden.yaml"
    words.write_text(words.read_text(encoding="utf-8").replace("  S-38: [", "  S-38: [te laat, "), encoding="utf-8")
    with pytest.raises(DeckError, match=r"kaartwoorden\.yaml: S-38: 'te laat'"):
        SearchIndex(load_deck(content))


def test_a_negation_inside_a_phrase_counts() -> None:
    hits = index().signals("hij heeft al twee dagen geen eten in huis, kan het voorschot vandaag nog komen?")
    assert "geen eten" in next(h for h in hits if h.item.id == "S-01").matched
    assert index().signals("wat eten we vanavond") == []


def test_a_repeated_word_of_a_phrase_needs_its_own_place_in_the_text() -> None:
    analyzer = Analyzer()
    (phrase,) = analyzer.entry_keys("keer op keer")
    assert phrase in analyzer.keys("hij belt keer op keer terug")
    assert phrase not in analyzer.keys("ze vraagt of het in een keer op orde kan")


def test_one_sided_words_still_show_the_other_side_of_the_same_theme_marked_as_such() -> None:
    result = index().arguments("het scheelt ons later veel bezwaarschriften")
    assert result.voor
    assert not any(h.counterpart for h in result.voor)
    assert result.tegen
    assert all(h.counterpart and not h.matched for h in result.tegen)
    themes = {h.item.section for h in result.voor}
    assert all(h.item.section in themes for h in result.tegen)
    assert all(h.item.stance is not None and h.item.stance.value == "tegen" for h in result.tegen)


def test_a_typo_finds_what_the_word_would_have_found() -> None:
    right = index().signals("er staat een deurwaarder op de stoep vanwege een huurachterstand")
    typo = index().signals("er staat een deurwaader op de stoep vanwege een huurachterstant")
    assert [h.item.id for h in typo] == [h.item.id for h in right]
    assert "deurwaader" in typo[0].matched


def test_a_real_word_is_never_corrected_into_a_card_word() -> None:
    analyzer = index().analyzer
    assert analyzer.correct("wasmachine") == "wasmachine"
    assert analyzer.correct("deurwaader") == "deurwaarder"


def test_the_last_part_of_an_unknown_compound_counts_when_the_first_part_is_dutch() -> None:
    analyzer = Analyzer({key("gegevens")})
    assert analyzer.split("bankgegevens") == [key("bank"), key("gegevens")]
    assert analyzer.split("qwzrxgegevens") == []  # no Dutch word in front
    known = Analyzer({key("gegevens"), key("bankgegevens")})
    assert known.split("bankgegevens") == []  # the deck knows the whole word: it means itself


def test_a_rare_caseworker_term_alone_is_evidence_a_common_one_is_not() -> None:
    # "nalatenschap" is a caseworker word of S-23 only, rare in Dutch at large; "vertraging" is common.
    # The rule per item, before the decision whether the text is a case note.
    found, _ = index().note_features("de nalatenschap is nog steeds niet geregeld")
    assert [h.item.id for h in found][:1] == ["S-23"]
    assert index().signals("de trein had een kwartier vertraging") == []


def test_a_phrase_outweighs_its_loose_words() -> None:
    together = index().signals("hij slaapt al weken in zijn auto")
    assert together[0].item.id == "S-09"
    assert "slaapt in auto" in together[0].matched
    text = "de auto stond voor de deur, de hele straat heeft vannacht slecht geslapen"
    apart = {h.item.id: h.score for h in index().signals(text, top=38)}
    assert together[0].score > 2 * apart.get("S-09", 0.0)


def test_chat_forms_and_a_year_since_read_as_their_plain_words() -> None:
    assert words("nog steeds niks geregeld voor de kids") == words("nog steeds niets geregeld voor de kinderen")
    assert Analyzer().keys("al sinds 2019 bezig") == Analyzer().keys("al sinds jaren bezig")
    assert Analyzer().keys("in 2019 verhuisd") != Analyzer().keys("in jaren verhuisd")
    # "zorg dat" is "make sure", not care; the noun stays.
    assert "zorg" not in words("zorg dat je je uren schrijft, we zorgen er voor dat het klopt")
    assert "zorg" in words("ze mijdt de zorg")
    # "niet zien aankomen" is surprise, not being seen.
    assert "zien" not in words("dat einde had ik echt niet zien aankomen")
    assert "zien" in words("we zien hem niet meer")


def test_a_derivational_ending_is_not_a_compound_part() -> None:
    analyzer = Analyzer({key("eind"), key("lijken"), key("gedeelte")})
    assert analyzer.split("eindelijk") == []
    assert analyzer.split("gedeeltelijk") == []
    assert key("heet") != key("het")  # a stem that is a stop word keeps its lemma
    assert key("geldt") != key("geld")  # read off the Snowball collisions: gelden/geld, nieuws/nieuw
    assert key("gehakt") != key("haaks")  # "op gespannen voet, haaks op de regels" is no minced meat
    assert key("reden") != key("redden")
    assert key("taal") != key("tal")  # "tal van" says nothing about language
    assert key("nieuws") != key("nieuwe")


def test_office_words_alone_are_no_case() -> None:
    assert index().signals("het formulier voor de parkeervergunning op intranet werkt niet") == []
    assert index().signals("facilitair zegt: maak een melding als de koffieautomaat leeg is") == []
    office = "het verlofformulier in het nieuwe systeem werkt nog steeds niet, ik krijg een foutcode"
    assert index().signals(office) == []
    assert index().arguments(office).empty
    hits = index().signals("ze snapt het formulier van de toeslagen niet")
    assert hits[0].item.id == "S-10"
    assert "formulier" in hits[0].matched  # an office word still adds to the score and is shown


def test_office_phrases_and_money_stay_apart() -> None:
    # A phrase of an office word and everyday words is office talk too, and an office word passes no
    # evidence on through synonyms it shares with part of a compound.
    assert index().signals("de brief van de directie: het nieuwe besluit over de verhuizing valt na de zomer") == []
    assert index().signals("vanaf maandag geldt een nieuwe parkeerregeling voor iedereen") == []
    # 'geldt' is an office word, 'geld' is not: money trouble is still a case.
    money = index().signals("ze heeft geen geld meer voor boodschappen")
    assert money
    assert "geld" in money[0].matched


def test_general_words_support_signals_but_a_short_topic_is_enough_for_arguments() -> None:
    chat = "nieuwe regel bij de koffieautomaat: na tien uur geen cappuccino meer, uitzondering voor het MT"
    assert index().signals(chat) == []
    assert index().arguments(chat).empty
    # As a topic of its own, a general word is what the user asks about.
    topic = index().arguments("uitzondering")
    assert topic.voor
    assert topic.tegen
    # With other evidence a general word still counts and shows.
    hits = index().signals("de regels passen niet bij haar situatie, ze is al maanden ziek")
    assert hits
    assert any("regels" in h.matched for h in hits)


def test_index_cache_is_written_once_and_gives_the_same_answers(tmp_path: Path) -> None:
    deck = load_deck()
    built = SearchIndex(deck, cache_dir=tmp_path)
    assert not built.from_cache
    assert len(list(tmp_path.glob("zoekindex-*.json"))) == 1
    loaded = SearchIndex(deck, cache_dir=tmp_path)
    assert loaded.from_cache
    for text in ("huurachterstand en een deurwaarder aan de deur", "regels en geld", "van het kastje naar de muur"):
        assert [h.to_json() for h in loaded.signals(text)] == [h.to_json() for h in built.signals(text)]
        assert loaded.arguments(text).to_json() == built.arguments(text).to_json()


def test_index_cache_is_rebuilt_when_content_changes_or_the_file_is_damaged(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(Path(__file__).resolve().parents[2] / "content", content)
    cache_dir = tmp_path / "cache"
    assert not SearchIndex(load_deck(content), cache_dir=cache_dir).from_cache
    synonyms = content / "synoniemen.yaml"
    synonyms.write_text(synonyms.read_text(encoding="utf-8") + "\n# gewijzigd\n", encoding="utf-8")
    assert not SearchIndex(load_deck(content), cache_dir=cache_dir).from_cache  # a new content version
    assert len(list(cache_dir.glob("zoekindex-*.json"))) == 2
    for path in cache_dir.glob("zoekindex-*.json"):
        path.write_text('{"format": 1, "analyzer": ', encoding="utf-8")
    again = SearchIndex(load_deck(content), cache_dir=cache_dir)
    assert not again.from_cache
    assert again.signals("huurachterstand en een deurwaarder")
    assert SearchIndex(load_deck(content), cache_dir=cache_dir).from_cache  # rewritten


def test_an_unwritable_cache_directory_is_no_error(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("geen map", encoding="utf-8")
    index = SearchIndex(load_deck(), cache_dir=blocked / "cache")
    assert index.signals("huurachterstand en een deurwaarder")


def test_pathological_input_is_bounded() -> None:
    # bench/bench_search.py prints the times; here the bounds themselves.
    assert words("a" * 20_000) == []  # no word: skipped before typo correction and compound splitting
    assert words("arbeidsongeschiktheidsverzekering") == ["arbeidsongeschiktheidsverzekering"]
    assert len(words("schuld huur " * 5_000)) == MAX_WORDS
    assert index().signals("deurwaardr" * 2_000) == []


def test_learned_relevance_model_is_plain_data_that_fits_the_code() -> None:
    from bot.core.retrieval.relevance import FEATURES, MODEL_FILE, RelevanceModel

    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    assert data["features"] == list(FEATURES)
    model = RelevanceModel.load()
    assert len(model.weights) == len(FEATURES)
    assert 0.0 < model.threshold < 1.0


def test_a_short_query_is_searched_as_it_is() -> None:
    assert index().signals("grote schulden")
    assert index().signals("de buren")  # asked for: a query is no chat
    assert not index().signals("")


def test_a_text_that_is_no_case_note_gets_no_signal_however_well_a_word_fits() -> None:
    # Each of these words fits an item ("buren" S-18, "weer gebeld" S-06, "betaald" S-33), in its everyday sense.
    assert index().signals("De kat van de buren zit steeds in onze tuin") == []
    assert index().signals("Ik heb de leverancier weer gebeld over de laptops, ze komen pas volgende week") == []
    assert index().signals("Vanaf 1 april geldt betaald parkeren in het hele centrum, ook op zondag") == []
    # ... and in a case note they still count.
    assert index().signals("de buren klagen over overlast van meneer, hij is nergens in beeld")[0].item.id == "S-18"
    again = index().signals("mevrouw heeft weer gebeld met precies dezelfde vraag over haar uitkering")
    assert again[0].item.id == "S-06"
