"""Pages of the annual review: the progress of a year with its figures and their drill-down,
and the rating grid of one cell. Thin: reads through the selectors and the metrics registry,
writes through one service each, scoped by the base views."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from dangvu.core.views import (
    ScopedChildFormView,
    ScopedDetailView,
    ScopedListView,
    ScopedMixin,
    ScopedTemplateView,
)
from dangvu.members import selectors as member_selectors
from dangvu.members.models import Member
from dangvu.metrics import registry
from dangvu.metrics.registry import Period, Value
from dangvu.orgs import selectors as org_selectors
from dangvu.orgs.models import CELL_KINDS, Organization
from dangvu.reviews import metrics, selectors, services
from dangvu.reviews.forms import (
    DRILLDOWN_KEYS,
    DrilldownForm,
    ProgressForm,
    RatingRowForm,
    YearForm,
    last_year,
    review_day,
)
from dangvu.reviews.models import FINAL_STATES, Rating, RatingState
from dangvu.reviews.rules import Level, NotRatedReason, SubjectKind

# The shares of the year-end report, in the order the progress page shows them.
FIGURES = (
    metrics.MEMBERS_GOOD_OR_ABOVE.key,
    metrics.MEMBERS_EXCELLENT.key,
    metrics.GRASSROOTS_GOOD_OR_ABOVE.key,
    metrics.AGENCIES_GOOD_OR_ABOVE.key,
)


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: Value


@dataclass
class Row:
    """One member of the grid: the stored rating (if any) and the form of the row."""

    member: Member
    rating: Rating | None
    form: RatingRowForm
    warnings: list[str] = field(default_factory=list)

    @property
    def readonly(self) -> bool:
        """Not rated by the registry, or decided: the grid cannot change it."""
        rating = self.rating
        return rating is not None and (
            bool(rating.not_rated_reason) or rating.state in FINAL_STATES
        )

    @property
    def reason(self) -> str:
        reason = self.rating.not_rated_reason if self.rating is not None else ""
        return NotRatedReason(reason).label if reason else ""


def _counts(progress: selectors.Progress) -> dict[str, list[tuple[str, int]]]:
    return {
        "by_state": [(RatingState(s).label, n) for s, n in progress.by_state.items()],
        "by_level": [(level.code, progress.by_level.get(level.value, 0)) for level in Level],
        "not_rated": [(NotRatedReason(r).label, n) for r, n in progress.not_rated.items()],
    }


def _figures(actor: Any, organization: Organization, year: int) -> dict[str, Any]:
    """Progress and the report's shares for ``organization`` and its children: one rollup per
    metric, the children's values read from it."""
    period = Period.year(year)
    rollups = {key: registry.get(key).rollup(organization, period) for key in FIGURES}
    progress = selectors.progress(actor=actor, organization=organization, year=year)
    return {
        "organization": organization,
        "year": year,
        "progress": progress,
        **_counts(progress),
        "figures": [
            Figure(key, registry.get(key).label, rollups[key][organization.pk]) for key in FIGURES
        ],
        "children": [
            (child, [rollups[key][child.pk] for key in FIGURES])
            for child in org_selectors.children(actor=actor, organization=organization)
        ],
    }


class ProgressView(ScopedTemplateView):
    """``?org=<id>&nam=YYYY``: how far the review went, the shares, the children compared."""

    action = "reviews.view"
    template_name = "reviews/progress.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        form = ProgressForm(self.request.GET, actor=self.request.user)
        context = super().get_context_data(form=form, figure_keys=FIGURES, **kwargs)
        if form.is_valid():
            data = form.cleaned_data
            context.update(_figures(self.request.user, data["org"], data["nam"]))
        return context


class DrilldownView(ScopedListView):
    """``?chi_so=<key>&org=<id>&nam=YYYY``: the ratings behind one figure of the review."""

    action = "reviews.view"
    model = Rating
    template_name = "reviews/drilldown.html"
    context_object_name = "ratings"

    def get_queryset(self) -> QuerySet[Rating]:
        self.form = DrilldownForm(self.request.GET, actor=self.request.user)
        if not self.form.is_valid():
            raise Http404("Không có chỉ số hoặc tổ chức này.")
        data = self.form.cleaned_data
        return registry.get(data["chi_so"]).drilldown(data["org"], Period.year(data["nam"]))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        data = self.form.cleaned_data
        return super().get_context_data(
            key=data["chi_so"],
            title=DRILLDOWN_KEYS[data["chi_so"]],
            organization=data["org"],
            year=data["nam"],
            **kwargs,
        )


# --- the rating grid of a cell ------------------------------------------------------------


def grid_url(cell: Organization, year: int | None) -> str:
    url = reverse("reviews:grid", args=[cell.pk])
    return f"{url}?nam={year}" if year else url


def grid_rows(actor: Any, cell: Organization, year: int) -> list[Row]:
    """The members on the cell's roll on the review date, each with its rating (2 queries)."""
    stints = list(
        member_selectors.members_as_of(actor=actor, organization=cell, day=review_day(year))
    )
    ratings = {
        r.member_id: r
        for r in selectors.rating_list(
            actor=actor, year=year, subject_kind=SubjectKind.MEMBER
        ).filter(member_id__in=[s.member_id for s in stints])
    }
    rows = []
    for stint in stints:
        rating = ratings.get(stint.member_id)
        initial = RatingRowForm.initial_for(stint.member, year, rating)
        form = RatingRowForm(initial=initial, actor=actor, cell=cell)
        rows.append(Row(stint.member, rating, form))
    return rows


class CellMixin(ScopedMixin):
    """The organization in the URL is a cell (a grid lists the members of one cell)."""

    model = Organization

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().filter(kind__in=CELL_KINDS)


class GridView(CellMixin, ScopedDetailView):
    """``/xep-loai/chi-bo/<pk>/?nam=YYYY``: rate the whole cell on one screen."""

    action = "reviews.rate"
    template_name = "reviews/grid.html"
    context_object_name = "cell"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        form = YearForm(self.request.GET, actor=self.request.user)
        year = form.cleaned_data["nam"] if form.is_valid() else last_year()
        rows = grid_rows(self.request.user, self.object, year)
        states = [row.rating.state for row in rows if row.rating is not None]
        return super().get_context_data(
            year=year,
            year_form=form,
            rows=rows,
            drafts=states.count(RatingState.DRAFT),
            proposed=states.count(RatingState.PROPOSED),
            **kwargs,
        )


class GridRowView(CellMixin, ScopedChildFormView):
    """One row of the grid, posted by htmx: ``rating_set``, then the row again (with the rule's
    error or warnings, and the values as typed)."""

    action = "reviews.rate"
    form_class = RatingRowForm
    template_name = "reviews/_row.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return HttpResponseRedirect(grid_url(self.get_object(), None))

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "cell": self.get_object()}

    def perform(self, form: RatingRowForm) -> tuple[Rating, list[str]]:
        self.row_form = form
        return services.rating_set(actor=self.request.user, **form.service_kwargs())

    def success_response(self, result: tuple[Rating, list[str]]) -> HttpResponse:
        rating, warnings = result
        return self.render_row(self.row_form, rating, warnings)

    def form_invalid(self, form: RatingRowForm) -> HttpResponse:
        if "member" in form.errors or "nam" in form.errors:
            raise Http404("Không tìm thấy đảng viên trong chi bộ.")
        data = form.cleaned_data
        ratings = selectors.rating_list(actor=self.request.user, year=data["nam"])
        return self.render_row(form, ratings.filter(member=data["member"]).first(), [])

    def render_row(self, form: RatingRowForm, rating: Rating | None, warnings: list[str]) -> Any:
        row = Row(form.cleaned_data["member"], rating, form, warnings)
        context = {"row": row, "cell": self.get_object(), "year": form.cleaned_data["nam"]}
        return self.render_to_response(context)


class CellActionView(CellMixin, ScopedChildFormView):
    """A button of the grid acting on the cell's member ratings of one state; the outcome (or
    the service's refusal, e.g. the quota) comes back as a message on the grid."""

    form_class = YearForm
    state: ClassVar[RatingState]
    done: ClassVar[str]
    year: int | None = None

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return HttpResponseRedirect(grid_url(self.get_object(), None))

    def ratings(self, year: int) -> list[Rating]:
        rows = selectors.rating_list(
            actor=self.request.user,
            year=year,
            organization=self.get_object(),
            subject_kind=SubjectKind.MEMBER,
            state=self.state,
        )
        return list(rows)

    def success_response(self, result: int) -> HttpResponse:
        messages.success(self.request, self.done.format(n=result))
        return HttpResponseRedirect(grid_url(self.get_object(), self.year))

    def form_invalid(self, form: YearForm) -> HttpResponse:
        for errors in form.errors.values():
            for error in errors:
                messages.error(self.request, str(error))
        return HttpResponseRedirect(grid_url(self.get_object(), form.cleaned_data.get("nam")))


class GridProposeView(CellActionView):
    action = "reviews.rate"
    state = RatingState.DRAFT
    done = "Đã đề xuất {n} xếp loại lên cấp có thẩm quyền."

    def perform(self, form: YearForm) -> int:
        self.year = form.cleaned_data["nam"]
        return services.rating_propose(actor=self.request.user, ratings=self.ratings(self.year))


class GridDecideView(CellActionView):
    action = "reviews.decide"
    state = RatingState.PROPOSED
    done = "Đã quyết định {n} xếp loại."

    def perform(self, form: YearForm) -> int:
        self.year = form.cleaned_data["nam"]
        return services.rating_decide(actor=self.request.user, ratings=self.ratings(self.year))
