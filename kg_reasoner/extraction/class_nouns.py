"""Class nouns: the common nouns that name a kind of entity ("city", "company", "museum").

They serve two purposes. A definite description built on one ("the company", "the museum")
refers back to an entity of that kind named earlier in the paragraph, and a class noun
before or after a name classifies it ("the city of Athens", "the Karnataka region").
``DESCRIPTION_TYPES`` says which coarse entity types each noun may refer to, the likeliest
first: a description reaching into the paragraph before accepts only that first type.
"""

from __future__ import annotations

_PLACE = ("PLACE",)
_ORG = ("ORG",)
_INSTITUTION = ("ORG", "PLACE")  # in a building: an organisation first

DESCRIPTION_TYPES: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(
        ["city", "town", "village", "country", "state", "region", "province", "county",
         "district", "island", "area", "municipality", "borough", "nation", "republic",
         "kingdom", "capital", "river", "lake", "mountain", "street", "port", "suburb",
         "neighbourhood", "neighborhood", "tower", "building", "skyscraper", "bridge", "park",
         "stadium", "station"],
        _PLACE,
    ),
    **dict.fromkeys(
        ["club", "team", "company", "firm", "organisation", "organization", "university",
         "school", "college", "band", "bank", "lender", "insurer", "retailer", "airline",
         "manufacturer", "carmaker", "automaker", "publisher", "startup", "agency", "institute",
         "foundation", "charity", "ministry", "council", "party", "corporation", "conglomerate",
         "broadcaster", "network", "studio", "label", "brand", "group", "business"],
        _ORG,
    ),
    **dict.fromkeys(
        ["airport", "museum", "hotel", "hospital", "clinic", "church", "cathedral", "library",
         "restaurant", "factory", "laboratory", "theatre", "theater", "zoo", "mall"],
        _INSTITUTION,
    ),
    **dict.fromkeys(["book", "novel", "journal", "magazine", "newspaper"], ("WORK", "ORG")),
    **dict.fromkeys(["film", "movie", "album", "song", "opera", "play", "series"], ("WORK",)),
    **dict.fromkeys(["festival", "war", "battle", "tournament", "election"], ("EVENT",)),
    "language": ("LANGUAGE", "GROUP"),
}  # fmt: skip

# Nouns that classify a name next to them but are not used as back-references.
# ("the Apollo 11 crew", "the Gemini 8 mission": the name is what the noun classifies)
CLASS_NOUNS = frozenset(DESCRIPTION_TYPES) | {
    "dish", "character", "crew", "mission", "programme", "program", "expedition", "project",
}  # fmt: skip

# Nouns that name an attribute or a relation of something, not a thing of their own: as the
# argument of a relation they stand for what they relate ("the leader of X is Y", "the runway
# length is 2777", "one of the ingredients is Z", "X is part of Y"), so they never become a
# concept node ("Fenchurch Street -have-> floors", "Germans -is_a-> demonym" are noise).
ATTRIBUTE_NOUNS = frozenset(
    {
        "abbreviation", "affiliation", "alma mater", "behalf", "birthplace", "capital",
        "capital city", "champion", "connection", "construction", "currency", "demonym",
        "discipline", "division", "ethnic group", "form", "full name", "ground", "group",
        "headquarters", "home", "home ground", "home town", "hometown", "ingredient",
        "inhabitant", "kind", "leader", "length", "level", "location", "main ingredient",
        "member", "name", "nickname", "number", "origin", "part", "population", "runway length",
        "sea level", "sort", "title", "total", "type", "variation", "variety", "version",
    }
)  # fmt: skip
