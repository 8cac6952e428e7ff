"""English inflection for RAML 0.8 ``!singularize`` / ``!pluralize`` (the common rules the
reference parser's inflection library applies; irregular nouns from a short list)."""

from __future__ import annotations

import re

_IRREGULAR = {
    "person": "people", "man": "men", "woman": "women", "child": "children", "tooth": "teeth",
    "foot": "feet", "mouse": "mice", "goose": "geese", "ox": "oxen",
}
_UNCOUNTABLE = {"equipment", "information", "rice", "money", "species", "series", "fish", "sheep", "news", "data"}
_PLURAL = [
    (r"(quiz)$", r"\1zes"), (r"(matr|vert|ind)(ix|ex)$", r"\1ices"), (r"(x|ch|ss|sh|z)$", r"\1es"),
    (r"([^aeiouy]|qu)y$", r"\1ies"), (r"(?:([^f])fe|([lr])f)$", r"\1\2ves"), (r"sis$", "ses"),
    (r"([ti])um$", r"\1a"), (r"(bu)s$", r"\1ses"), (r"(alias|status)$", r"\1es"), (r"(octop|vir)us$", r"\1i"),
    (r"(ax|test)is$", r"\1es"), (r"s$", "s"), (r"$", "s"),
]
_SINGULAR = [
    (r"(quiz)zes$", r"\1"), (r"(matr)ices$", r"\1ix"), (r"(vert|ind)ices$", r"\1ex"), (r"(alias|status)es$", r"\1"),
    (r"(octop|vir)i$", r"\1us"), (r"(cris|ax|test)es$", r"\1is"), (r"(shoe)s$", r"\1"), (r"(o)es$", r"\1"),
    (r"(bus)es$", r"\1"), (r"(x|ch|ss|sh|z)es$", r"\1"), (r"(m)ovies$", r"\1ovie"), (r"(s)eries$", r"\1eries"),
    (r"([^aeiouy]|qu)ies$", r"\1y"), (r"([lr])ves$", r"\1f"), (r"(tive)s$", r"\1"), (r"(hive)s$", r"\1"),
    (r"([^f])ves$", r"\1fe"), (r"(analy|ba|diagno|parenthe|progno|synop|the)ses$", r"\1sis"),
    (r"([ti])a$", r"\1um"), (r"(n)ews$", r"\1ews"), (r"ss$", "ss"), (r"s$", ""),
]


def _inflect(word: str, rules: list[tuple[str, str]], irregular: dict[str, str]) -> str:
    lower = word.lower()
    if not word or lower in _UNCOUNTABLE:
        return word
    if lower in irregular:
        return word[0] + irregular[lower][1:]
    if lower in irregular.values():
        return word
    for pattern, replacement in rules:
        if re.search(pattern, word, re.I):
            return re.sub(pattern, replacement, word, count=1, flags=re.I)
    return word


def pluralize(word: str) -> str:
    """``book`` -> ``books``, ``category`` -> ``categories``, ``child`` -> ``children``."""
    return _inflect(word, _PLURAL, _IRREGULAR)


def singularize(word: str) -> str:
    """``books`` -> ``book``, ``categories`` -> ``category``, ``children`` -> ``child``."""
    return _inflect(word, _SINGULAR, {v: k for k, v in _IRREGULAR.items()})
