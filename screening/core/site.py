"""Where to get help: the deployer's own service and a region's national helplines."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from .bank import HELP_TAGS, Flag, Line
from .source import Problem, load_model
from .text import Id, Model, Text

REGIONS_DIR = Path(__file__).parent.parent / "regions"
# `{name}` in the bank's wording: a term the region fills in ("{emergency}" -> "911" or "999").
PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def _web_address(value: str) -> str:
    if not re.fullmatch(r"https?://[^\s/]+\.[^\s]+", value):
        raise ValueError("must be a full web address, starting with https://")
    return value


WebAddress = Annotated[str, AfterValidator(_web_address)]


def _web_addresses(text: Text | None) -> Text | None:
    """A web address may be per language too (a service's site in Spanish): each a full one."""
    for wording in text.by_mode.values() if text else ():
        for language, address in wording.items():
            try:
                _web_address(address)
            except ValueError as error:
                raise ValueError(f"in {language!r}: {error}" if language else error) from None
    return text


class Contact(Model):
    """How to reach a service; every way is optional."""

    name: Text | None = None  # words (name, about, hours) may be per language
    about: Text | None = None
    phone: Line | None = None
    text: Line | None = None  # a number that takes text messages
    email: Line | None = None
    web: Annotated[Text | None, AfterValidator(_web_addresses)] = None  # may be per language
    hours: Text | None = None

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, name) for name in type(self).model_fields)


class Resource(Contact):
    id: Id
    name: Text
    tags: tuple[Literal[HELP_TAGS], ...] = ()  # type: ignore[valid-type]
    listed: bool = True  # False: shown only with a flag that asks for it (e.g. naloxone)
    # A few words said after its number wherever a line of text names it (the footer, the
    # start page): how to reach it in the page's language ("press 2 for Spanish").
    note: Text | None = None


class Region(Model):
    id: Id
    name: Line
    emergency_number: Line
    # ISO 3166 code: numbers on the pages are written as people there write them ("1,285").
    territory: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] | None = None
    resources: tuple[Resource, ...] = Field(min_length=1)
    # Words the bank leaves to the region, used as `{name}` in its texts.
    terms: dict[Id, Text] = Field(default_factory=dict)
    # Names of services found only in this region: a bank shown elsewhere must not use them.
    names: tuple[Line, ...] = ()

    def tagged(self, *tags: str) -> tuple[Resource, ...]:
        return tuple(r for r in self.resources if set(tags) & set(r.tags))

    def fill(self, words: str, mode: str = "self", language: str = "") -> str:
        """Put this region's terms in place of the `{name}` placeholders in some wording."""
        return PLACEHOLDER.sub(lambda m: self.terms[m[1]].get(mode, language), words)

    def for_mode(self, resource: Resource, mode: str) -> bool:
        """Whether a resource belongs on a page for this mode: family support only for others."""
        return mode == "other" or set(resource.tags) != {"family"}


@dataclass(frozen=True)
class HelpPlan:
    by_flag: dict[str, tuple[Resource, ...]]  # resources shown with each flag
    rest: tuple[Resource, ...]  # the others, for the page's list of contacts


def place_help(region: Region, flags: tuple[Flag, ...], mode: str) -> HelpPlan:
    """Show each resource once: with the first flag (in page order) that asks for it, and the
    rest in the page's list of contacts; family support only to family and friends."""
    shown: set[str] = set()
    by_flag = {}
    for flag in flags:
        mine = tuple(
            r for r in region.tagged(*flag.help) if r.id not in shown and region.for_mode(r, mode)
        )
        shown.update(r.id for r in mine)
        by_flag[flag.id] = mine
    rest = tuple(
        r for r in region.resources if r.listed and r.id not in shown and region.for_mode(r, mode)
    )
    return HelpPlan(by_flag, rest)


class Site(Model):
    """A deployment's own details: its service, shown first, and its region's helplines."""

    region: Id = "us"
    service: Contact = Contact()


def regions() -> list[str]:
    return sorted(p.stem for p in REGIONS_DIR.glob("*.yaml"))


def load_region(region_id: str) -> Region:
    return load_model(REGIONS_DIR / f"{region_id}.yaml", Region)


def all_regions() -> list[Region]:
    return [load_region(region_id) for region_id in regions()]


def load_site(path: Path | str | None) -> tuple[Site, Region]:
    """Read a deployment file (or use the defaults) and the region it names."""
    site = Site() if path is None else load_model(path, Site, _known_region)
    return site, load_region(site.region)


def _known_region(site: Site) -> list[Problem]:
    if site.region in regions():
        return []
    return [Problem(("region",), f"unknown region (known: {', '.join(regions())})")]
