"""WebNLG: DBpedia facts and the short texts that state them (reader and scoring)."""
