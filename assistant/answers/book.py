"""The answer book: what a response says for a council and a channel.

Three layers, most specific last: the shared default in domain.yml, an edit of
the shared default by an administrator (SHARED_SCOPE), and the council's own
override. Each layer may replace the text (its SMS version then comes from the
same layer, or is derived) or only the SMS version.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from assistant.answers.defaults import Answer, DomainDefaults
from assistant.answers.detail_fields import council_values
from assistant.answers.details_store import DetailStore
from assistant.answers.edit_problems import (
    LABELS,
    EditProblem,
    braced,
    english,
    template_edit_problems,
)
from assistant.answers.language import LANGUAGE_SLOT, language_scope, settings, split_scope
from assistant.answers.private_values import PRIVATE_SLOTS
from assistant.answers.rendering import Rendered, render_answer
from assistant.answers.sms import (
    SEGMENT_CHARS,
    SMS_MAX_CHARS,
    fits_segments,
    is_sms_channel,
    segment_limit,
)
from assistant.answers.store import SHARED_SCOPE, AnswerStore, Override
from assistant.answers.templates import (
    TemplateError,
    placeholders,
    render,
    used_names,
)
from assistant.councils import Council, CouncilRegistry

MAX_TEXT_CHARS = 2000


class UnknownResponse(LookupError):
    """No response by that name in domain.yml."""


@dataclass(frozen=True)
class FieldError:
    """A problem with one field of an edit (`problem.shown` words it for council staff)."""

    field: str
    problem: EditProblem

    @property
    def message(self) -> str:
        """The message in English."""
        return self.problem.shown(english, LABELS[self.field])


class AnswerBook:
    """Looks answers up through their layers, renders them and checks edits."""

    def __init__(
        self,
        defaults: DomainDefaults,
        store: AnswerStore,
        registry: CouncilRegistry,
        rng: random.Random | None = None,
        translations: Mapping[str, DomainDefaults] | None = None,
    ) -> None:
        self.defaults = defaults
        self.store = store
        self.registry = registry
        self.rng = rng or random.Random()  # picks among equally eligible variations
        # Each other language's defaults (languages/<code>.yml), reloaded when changed.
        self.translations = dict(translations) if translations is not None else shipped()

    # --- reading ---------------------------------------------------------
    def names(self) -> list[str]:
        """Every response name in domain.yml, sorted."""
        return sorted(self.defaults.domain.answers)

    def default(self, response: str, language: str | None = None) -> Answer | None:
        """The shared default of a response: domain.yml's, or in `language` its
        languages/<code>.yml one (None when that language has none)."""
        if language is None or language == settings().default:
            return self.defaults.domain.answers.get(response)
        translation = self.translations.get(language)
        return translation.domain.answers.get(response) if translation else None

    def resolve(
        self, response: str, council_id: str | None, language: str | None = None
    ) -> Answer | None:
        """The answer for a council (or for no council) in `language`, through every
        layer; a language without this answer gets the default language's."""
        base = self.default(response, language)
        if base is None:
            if self.default(response) is None:
                return None
            language, base = settings().default, self.default(response)
        assert base is not None
        language = language or settings().default
        scopes = [language_scope(SHARED_SCOPE, language)] + (
            [language_scope(council_id, language)] if council_id else []
        )
        layers = self.store.layers(scopes, response)
        answer = base
        for scope in scopes:
            layer = layers.get(scope)
            if layer is not None and layer.active:
                answer = apply_layer(answer, layer)
        return answer

    def render(
        self,
        response: str,
        council: Council | None,
        values: Mapping[str, object],
        sms: bool = False,
        *,
        channel: str | None = None,
        slots: Mapping[str, Any] | None = None,
        language: str | None = None,
    ) -> Rendered | None:
        """The answer in `language` filled in with `values` for the web, SMS or the
        named output `channel`, its variation chosen by `slots` as Rasa does; None if
        unknown."""
        answer = self.resolve(response, council.id if council else None, language)
        if answer is None:
            return None
        return render_answer(answer, values, sms, channel, slots, self.rng)

    def render_languages(
        self,
        response: str,
        council: Council | None,
        languages: list[str],
        values_in: Callable[[str], Mapping[str, object]],
        sms: bool = False,
        *,
        channel: str | None = None,
        slots: Mapping[str, Any] | None = None,
    ) -> Rendered | None:
        """The answer in each of `languages` (values for each from `values_in`), the
        texts joined, the first language's buttons; None if unknown. Variations with
        a condition on the language slot see the language each part is given in."""
        parts = [
            self.render(
                response,
                council,
                values_in(code),
                sms,
                channel=channel,
                slots={**(slots or {}), LANGUAGE_SLOT: code},
                language=code,
            )
            for code in languages
        ]
        found = [part for part in parts if part is not None]
        if not found:
            return None
        texts = [part.text for part in found if part.text]
        return replace(found[0], text=settings().separator.join(texts))

    # --- checking edits ----------------------------------------------------
    def allowed_placeholders(self, scope: str, response: str) -> set[str]:
        """Placeholders an edit of `response` in `scope` may use: the council's
        details (for the shared defaults, those every council has) and whatever the
        default already uses (values the action passes, such as the masked
        {reference}); never a slot holding personal data (private_values). A scope
        in another language (`brackenbury@cy`) allows the same and its default's."""
        scope, language = split_scope(scope)
        if scope == SHARED_SCOPE:
            keys: set[str] | None = None
            for council in self.registry:
                council_keys = set(council.template_vars())
                keys = council_keys if keys is None else keys & council_keys
            allowed = set(keys or ())
        else:
            scoped = self.registry.get(scope)
            allowed = set(scoped.template_vars()) if scoped else set()
        for default in (self.default(response), self.default(response, language)):
            for template in (default.text, default.sms_text or "") if default else ():
                try:
                    allowed |= set(placeholders(template))
                except TemplateError:
                    pass
        return allowed - PRIVATE_SLOTS

    def check_edit(self, scope: str, response: str, text: str, sms_text: str) -> list[FieldError]:
        """Every problem with a proposed edit (empty when it may be saved), by key."""
        errors: list[FieldError] = []
        allowed = self.allowed_placeholders(scope, response)
        if len(text) > MAX_TEXT_CHARS:
            problem = EditProblem("too_long", {"length": len(text), "max": MAX_TEXT_CHARS})
            errors.append(FieldError("text", problem))
        for name, value in (("text", text), ("sms_text", sms_text)):
            for private in [part for part in used_names(value) if part in PRIVATE_SLOTS]:
                errors.append(FieldError(name, EditProblem("private", {"name": braced(private)})))
            if value.strip():
                problems = template_edit_problems(value, allowed, PRIVATE_SLOTS)
                errors.extend(FieldError(name, problem) for problem in problems)
        if sms_text.strip() and not any(error.field == "sms_text" for error in errors):
            over = self._sms_overrun(scope, sms_text)
            if over is not None:
                length, limit, council_name, messages = over
                values = {
                    "length": length,
                    "council": council_name,
                    "limit": limit,
                    "messages": messages,
                    "shorten": max(1, length - limit),
                }
                errors.append(FieldError("sms_text", EditProblem("sms_too_long", values)))
        return errors

    def sms_limit(self, scope: str) -> int:
        """The longest SMS version allowed in `scope`: the council's `sms.max_segments`
        (council.yml) text messages, else SMS_MAX_CHARS; for the shared defaults, the
        smallest over every council."""
        scope = split_scope(scope)[0]
        councils = list(self.registry) if scope == SHARED_SCOPE else [self.registry.get(scope)]
        return min((sms_limit(council) for council in councils if council), default=SMS_MAX_CHARS)

    def preview(
        self, scope: str, response: str, text: str, sms_text: str
    ) -> tuple[Rendered, str, Council | None]:
        """How an edit would look on the web and by SMS, with the council's details
        (for the shared defaults, the first council's) and [slot] markers for
        values only a conversation has."""
        plain, language = split_scope(scope)
        base = self.resolve(response, None if plain == SHARED_SCOPE else plain, language)
        if base is None:
            raise UnknownResponse(response)
        council = self._example_council(plain)
        edited = Answer(
            text=text.strip() or base.text,
            sms_text=sms_text.strip() or (None if text.strip() else base.sms_text),
            buttons=base.buttons,
            image=base.image,
            custom=base.custom,
        )
        values = self._example_values(scope, response, council)
        if council is not None:  # its details as residents get them, staff's edits included
            overrides = DetailStore(self.store.engine).overrides(council.id)
            values.update(council_values(council, overrides, language))
        return (
            render_answer(edited, values, sms=False),
            render_answer(edited, values, sms=True).text,
            council,
        )

    def _example_council(self, scope: str) -> Council | None:
        if scope == SHARED_SCOPE:
            return next(iter(sorted(self.registry, key=lambda council: council.id)), None)
        return self.registry.get(scope)

    def _example_values(
        self, scope: str, response: str, council: Council | None
    ) -> dict[str, object]:
        values: dict[str, object] = {
            name: f"[{name}]" for name in self.allowed_placeholders(scope, response)
        }
        if council is not None:
            values.update(council.template_vars())
        return values

    def _sms_overrun(self, scope: str, sms_text: str) -> tuple[int, int, str, int] | None:
        """(length, limit, council name, text messages) for the first council whose details make
        `sms_text` too long (counted in GSM-7 or, for ŵ, ŷ..., UCS-2), else None."""
        scope, language = split_scope(scope)
        councils = list(self.registry) if scope == SHARED_SCOPE else [self.registry.get(scope)]
        for council in councils:
            if council is None:
                continue
            values: dict[str, object] = {n: f"[{n}]" for n in placeholders(sms_text)}
            values.update(council.template_vars_in(language))
            filled = " ".join(render(sms_text, values).split())
            most = council.sms.max_segments if council.sms else SMS_MAX_CHARS // SEGMENT_CHARS
            if not fits_segments(filled, most):
                return len(filled), segment_limit(filled, most), council.name, most
        return None


def shipped() -> dict[str, DomainDefaults]:
    """The shipped defaults of every language but the default (languages/<code>.yml)."""
    found: dict[str, DomainDefaults] = {}
    for code in settings().languages:
        path = settings().answers_file(code)
        if path is not None and path.exists():
            found[code] = DomainDefaults(path)
    return found


def safe_placeholders(template: str) -> list[str]:
    """The placeholders `template` uses; none if it does not parse."""
    try:
        return placeholders(template)
    except TemplateError:
        return []


def sms_limit(council: Council) -> int:
    """Characters one SMS answer may take for `council` (`sms.max_segments` in council.yml)."""
    if council.sms is None:
        return SMS_MAX_CHARS
    return council.sms.max_segments * SEGMENT_CHARS


def apply_layer(answer: Answer, layer: Override) -> Answer:
    """`answer` with one override layer on top: edited text replaces every variation
    of domain.yml; an edited SMS version replaces its SMS variations."""
    if layer.text:
        return Answer(
            text=layer.text,
            sms_text=layer.sms_text,
            buttons=answer.buttons,
            image=answer.image,
            custom=answer.custom,
        )
    if not layer.sms_text:
        return answer
    kept = tuple(v for v in answer.variations if not (v.channel and is_sms_channel(v.channel)))
    return Answer(
        text=answer.text,
        sms_text=layer.sms_text,
        buttons=answer.buttons,
        image=answer.image,
        custom=answer.custom,
        variations=kept,
    )
