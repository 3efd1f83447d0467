"""The knowledge base over the store: sources, conflicts, time, changes, reference data, explanations.

    corroboration  how well a fact is sourced: steps, independent sources, conflicts, confidence
    load           assertions with their stories, as known on a date; facts consolidated from them
    conflicts      where sources disagree, with the evidence side by side
    changes        what the news changed since a date: lines, JSON, an Atom feed
    reference      curated membership data (CSV: Wikidata, COW, ATOP and the like) and its diff with the news
    explain        why accords believes what it does, in plain words, citing each article

Kept light: importing this package imports none of them.
"""
