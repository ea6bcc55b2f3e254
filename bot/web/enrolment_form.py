"""The enrolment wizard's form: details, taper, plan, review. Each step is checked by the same
code the command line uses, so a bad value gets the same answer in both."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache

from bot.checkin import schedule
from bot.client import contacts
from bot.client.enrollment import Enrollment
from bot.client.service import new_pseudonym
from bot.clinic.service import check_timezone
from bot.console.inputs import whole
from bot.errors import InvalidInput
from bot.plan.schema import PlanDocument, PlanFileError
from bot.taper.templates import CUSTOM, TEMPLATES, TaperError, offsets_for, parse_offsets
from bot.taper.window import parse_window
from bot.texts.translation import SUPPORTED
from bot.web import client_texts as text
from bot.web import plan_form
from bot.web.plan_form import FormLike, PlanFields

DETAILS, TAPER, PLAN, REVIEW = range(4)
TEMPLATE_NAMES = [*TEMPLATES, CUSTOM]


@cache
def timezones() -> list[str]:
    """Every IANA zone name, for the timezone picker."""
    return sorted(z for z in zoneinfo.available_timezones() if "/" in z and not z.startswith("Etc"))


@dataclass
class EnrolForm:
    name: str = ""
    ending_date: str = ""
    ending_type: str = "planned"
    timezone: str = ""
    window: str = "18:00-20:00"
    template: str = "standard"
    offsets: str = ""
    adaptive: bool = True
    therapist_id: str = ""
    pseudonym: str = ""
    phone: str = ""
    emergency_contact: str = ""
    # "": the client's own Telegram language when they join, else the clinic's default.
    language: str = ""
    step: int = DETAILS
    plan: PlanFields = field(default_factory=PlanFields)

    @classmethod
    def blank(cls, *, today: date, timezone: str, therapist_id: int) -> EnrolForm:
        return cls(
            ending_date=today.isoformat(),
            timezone=timezone,
            therapist_id=str(therapist_id),
            pseudonym=new_pseudonym(),
            plan=plan_form.from_plan(None),
        )

    @classmethod
    def read(cls, form: FormLike) -> EnrolForm:
        def value(key: str, default: str = "") -> str:
            found = form.get(key)
            return found.strip() if isinstance(found, str) else default

        step = value("step")
        return cls(
            name=value("name"),
            ending_date=value("ending_date"),
            ending_type=value("ending_type", "planned"),
            timezone=value("timezone"),
            window=value("window"),
            template=value("template", "standard"),
            offsets=value("offsets"),
            adaptive=value("adaptive") == "yes",
            therapist_id=value("therapist_id"),
            pseudonym=value("pseudonym") or new_pseudonym(),
            phone=value("phone"),
            emergency_contact=value("emergency_contact"),
            language=value("language"),
            step=DETAILS if (n := whole(step)) is None else min(n, REVIEW),
            plan=plan_form.from_form(form),
        )

    def with_blank_rows(self) -> EnrolForm:
        self.plan.with_blank_rows()
        return self

    def details_problem(self) -> str | None:
        if not 1 <= len(self.name) <= 100:
            return text.NAME_NEEDED
        try:
            date.fromisoformat(self.ending_date)
        except ValueError:
            return text.DATE_NEEDED
        try:
            check_timezone(self.timezone)
            parse_window(self.window)
        except InvalidInput as problem:
            return str(problem)
        if self.ending_type not in ("planned", "unplanned"):
            return f"unknown ending type {self.ending_type!r}: use planned or unplanned"
        if self.language and self.language not in SUPPORTED:
            return f"unknown language {self.language[:20]!r}: use {', '.join(SUPPORTED)}"
        try:
            contacts.clean_phone(self.phone)
            contacts.clean_contact(self.emergency_contact)
        except InvalidInput as problem:
            return str(problem)
        return None

    def offsets_chosen(self) -> tuple[int, ...]:
        """The taper's days; TaperError says what is wrong, as on the command line."""
        # As on the command line; days typed beside a named taper are not used.
        custom = parse_offsets(self.offsets) if self.template == CUSTOM and self.offsets else None
        return offsets_for(self.template, custom)

    def taper_problem(self) -> str | None:
        try:
            self.offsets_chosen()
        except TaperError as problem:
            return str(problem)
        return None

    def plan_document(self) -> PlanDocument:
        return plan_form.parse(self.plan)

    def problem_at(self, step: int) -> str | None:
        if step == DETAILS:
            return self.details_problem()
        if step == TAPER:
            return self.taper_problem()
        if step == PLAN:
            try:
                self.plan_document()
            except PlanFileError as problem:
                return str(problem)
        return None

    def first_problem(self) -> tuple[int, str] | None:
        for step in (DETAILS, TAPER, PLAN):
            problem = self.problem_at(step)
            if problem:
                return step, problem
        return None

    def enrollment(self) -> Enrollment:
        """Only once every step has passed (see `first_problem`)."""
        offsets = self.offsets_chosen()
        return Enrollment(
            display_name=self.name,
            ending_date=date.fromisoformat(self.ending_date),
            ending_type=self.ending_type,
            timezone=self.timezone,
            window=self.window,
            template=self.template,
            custom_offsets=offsets if self.template == CUSTOM else None,
            plan=self.plan_document(),
            adaptive_taper=self.adaptive,
            pseudonym=self.pseudonym,
            phone=self.phone or None,
            emergency_contact=self.emergency_contact or None,
            language=self.language or None,
        )

    def planned(self, now: datetime) -> list[schedule.Planned]:
        """The check-ins this enrolment would plan, exactly as replan will."""
        chosen = self.enrollment()
        return schedule.plan_for(
            ending_date=chosen.ending_date,
            offsets=list(self.offsets_chosen()),
            timezone=chosen.timezone,
            window=parse_window(chosen.window),
            spread_key=self.pseudonym,
            plan=chosen.plan,
            now=now,
        )
