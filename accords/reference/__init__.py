"""Reference data: countries, bodies and leaders, loaded once from the files in data/.

The gazetteer is the only place names become entities: the extractor, the
CLI's name arguments and the evaluator all resolve names through it.
"""
from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from accords.errors import UnknownEntityError
from accords.model import Entity, EntityKind

DATA = Path(str(resources.files("accords.reference") / "data"))


def normalize(text: str) -> str:
    """Lookup key for a name: case, accents, punctuation and a leading 'the' folded away."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.lower().replace("’", "'").replace("&", " and ")
    text = re.sub(r"[.]", "", text)  # U.S. -> us
    text = re.sub(r"\+", " plus ", text)
    text = re.sub(r"[^\w']+", " ", text).strip()
    text = re.sub(r"^the ", "", text)
    return text


def slugify(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", normalize(name)).strip("-") or "unnamed"


@dataclass
class Country:
    id: str
    name: str
    aliases: list[str]
    demonyms: list[str]
    seats: list[str]
    status: str

    @property
    def entity(self) -> Entity:
        return Entity(self.id, self.name, EntityKind.COUNTRY.value)


@dataclass
class Body:
    id: str
    name: str
    kind: str
    aliases: list[str] = field(default_factory=list)
    founded: str | None = None

    @property
    def entity(self) -> Entity:
        return Entity(self.id, self.name, self.kind)


@dataclass
class Leader:
    country: str
    name: str
    role: str
    aliases: list[str]
    start: str | None
    end: str | None

    def in_office(self, on: date | None) -> bool:
        if on is None:
            return True
        iso = on.isoformat()
        # Partial ISO dates compare correctly as strings against a full date's prefix.
        return (not self.start or self.start[: len(iso)] <= iso) and (not self.end or iso <= self.end + "-99")


def _split(cell: str | None) -> list[str]:
    return [p.strip() for p in (cell or "").split("|") if p.strip()]


class Gazetteer:
    """Every name, alias, demonym, seat of government and leader, indexed by normalized form."""

    def __init__(self, countries: list[Country], bodies: list[Body], leaders: list[Leader]):
        self.countries = {c.id: c for c in countries}
        self.bodies = {b.id: b for b in bodies}
        self.leaders = leaders
        self._names: dict[str, Entity] = {}
        self._demonyms: dict[str, Entity] = {}
        self._seats: dict[str, Entity] = {}
        self._leaders: dict[str, list[Leader]] = {}
        for b in bodies:
            for form in [b.name, *b.aliases]:
                self._names.setdefault(normalize(form), b.entity)
        for c in countries:  # countries win over bodies on a clash
            for form in [c.name, *c.aliases]:
                self._names[normalize(form)] = c.entity
            for form in c.demonyms:
                self._demonyms.setdefault(normalize(form), c.entity)
            for form in c.seats:
                self._seats.setdefault(normalize(form), c.entity)
        for ldr in leaders:
            for form in {ldr.name, *ldr.aliases}:
                self._leaders.setdefault(normalize(form), []).append(ldr)

    # -- loading -----------------------------------------------------------
    @classmethod
    def from_files(cls, data_dir: Path = DATA) -> "Gazetteer":
        countries = [
            Country(r["id"], r["name"], _split(r.get("aliases")), _split(r.get("demonyms")),
                    _split(r.get("seats")), r.get("status") or "member")
            for r in _tsv_at(data_dir / "countries.tsv")
        ]
        bodies_path = data_dir / "bodies.yaml"
        raw = yaml.safe_load(bodies_path.read_text(encoding="utf-8")) if bodies_path.exists() else []
        bodies = [
            Body(b["id"], b["name"], b.get("kind", "organization"), [str(a) for a in b.get("aliases") or []],
                 str(b["founded"]) if b.get("founded") else None)
            for b in raw or []
        ]
        leaders = [
            Leader(r["country"], r["name"], r["role"], _split(r.get("aliases")),
                   r.get("start") or None, r.get("end") or None)
            for r in _tsv_at(data_dir / "leaders.tsv")
        ]
        return cls(countries, bodies, leaders)

    # -- lookups -----------------------------------------------------------
    def get(self, id_: str) -> Entity | None:
        if id_ in self.countries:
            return self.countries[id_].entity
        if id_ in self.bodies:
            return self.bodies[id_].entity
        return None

    def lookup(self, text: str) -> Entity | None:
        """A country or body by name, alias or id; None when unknown."""
        key = normalize(text)
        if not key:
            return None
        if key in self._names:
            return self._names[key]
        upper = text.strip().upper()
        if upper in self.countries:
            return self.countries[upper].entity
        if text.strip().lower() in self.bodies:
            return self.bodies[text.strip().lower()].entity
        return None

    def demonym(self, text: str) -> Entity | None:
        return self._demonyms.get(normalize(text))

    def seat(self, text: str) -> Entity | None:
        return self._seats.get(normalize(text))

    def leader(self, text: str, on: date | None = None) -> Entity | None:
        """The state a named leader acted for on a date (any term when no date)."""
        cands = self._leaders.get(normalize(text), [])
        in_office = [ldr for ldr in cands if ldr.in_office(on)]
        pool = in_office or ([] if on else cands)
        countries = {ldr.country for ldr in pool}
        if len(countries) == 1:
            c = self.countries.get(countries.pop())
            return c.entity if c else None
        return None

    def resolve(self, text: str) -> Entity:
        """Like lookup, also by demonym and seat; raises UnknownEntityError with suggestions."""
        ent = self.lookup(text) or self.demonym(text) or self.seat(text)
        if ent is None:
            raise UnknownEntityError(text, self.suggest(text))
        return ent

    def suggest(self, text: str, limit: int = 3) -> list[str]:
        from rapidfuzz import process

        choices = {**{k: v for k, v in self._names.items()}}
        hits = process.extract(normalize(text), list(choices), limit=limit * 3, score_cutoff=60)
        out: list[str] = []
        for key, _score, _ in hits:
            name = choices[key].name
            if name not in out:
                out.append(name)
        return out[:limit]

    def surface_forms(self):
        """(text, entity, how) for every form worth matching in running text."""
        for c in self.countries.values():
            for form in {c.name, *c.aliases}:
                yield form, c.entity, "name"
            for form in c.demonyms:
                yield form, c.entity, "demonym"
            for form in c.seats:
                yield form, c.entity, "seat"
        for b in self.bodies.values():
            for form in {b.name, *b.aliases}:
                yield form, b.entity, "name"
        for ldr in self.leaders:
            for form in {ldr.name, *ldr.aliases}:
                yield form, None, "leader"


def _tsv_at(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The packaged gazetteer, loaded once per process."""
    return Gazetteer.from_files()
