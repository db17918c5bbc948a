"""Pages of the organization tree. Thin: a selector or a service each, scoped by the bases."""

from __future__ import annotations

from typing import Any

from django.contrib import messages

from dangvu.access import selectors as access_selectors
from dangvu.audit import selectors as audit_selectors
from dangvu.core.views import (
    ScopedChildFormView,
    ScopedDetailView,
    ScopedObjectFormView,
    ScopedTemplateView,
)
from dangvu.orgs import selectors, services
from dangvu.orgs.forms import (
    AgencyEditForm,
    AgencyForm,
    OrganizationEditForm,
    OrganizationForm,
    OrganizationMoveForm,
    OrganizationSearchForm,
    SeatEndForm,
    SeatForm,
    TermForm,
)
from dangvu.orgs.models import Agency, CommitteeSeat, Organization, Term


class TreeView(ScopedTemplateView):
    """The tree browser: the top of the user's scope, or the search results."""

    action = "orgs.view"
    template_name = "orgs/tree.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        form = OrganizationSearchForm(self.request.GET or None)
        q = kind = ""
        if form.is_valid():
            q, kind = form.cleaned_data["q"], form.cleaned_data["kind"]
        user = self.request.user
        results = (
            selectors.organization_list(actor=user, q=q, kind=kind)[:200] if q or kind else None
        )
        return super().get_context_data(
            form=form, results=results, roots=selectors.scope_roots(actor=user), **kwargs
        )

    def get_template_names(self) -> list[str]:
        if self.request.htmx and self.request.htmx.target == "tree-results":  # type: ignore[attr-defined]
            return ["orgs/_tree_results.html"]
        return [self.template_name]


class ChildrenView(ScopedDetailView):
    """The children of one node, loaded into the tree browser when it is opened (htmx)."""

    action = "orgs.view"
    model = Organization
    template_name = "orgs/_children.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        children = selectors.children(actor=self.request.user, organization=self.object)
        return super().get_context_data(children=children, **kwargs)


class OrganizationDetailView(ScopedDetailView):
    action = "orgs.view"
    model = Organization
    template_name = "orgs/detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user, org = self.request.user, self.object
        term = selectors.current_term(actor=user, organization=org)
        return super().get_context_data(
            breadcrumbs=selectors.breadcrumbs(actor=user, organization=org),
            children=selectors.children(actor=user, organization=org),
            agencies=selectors.agency_list(actor=user, organization=org),
            term=term,
            seats=selectors.term_seats(actor=user, term=term) if term else [],
            events=audit_selectors.event_list(actor=user, organization=org)[:10],
            **kwargs,
        )


class OrganizationCreateView(ScopedChildFormView):
    """Create an organization under the one in the URL."""

    action = "orgs.add"
    model = Organization
    form_class = OrganizationForm
    template_name = "orgs/form.html"
    success_message = "Đã tạo tổ chức."

    def perform(self, form: OrganizationForm) -> Organization:
        return services.organization_create(
            actor=self.request.user, parent=self.get_object(), **form.cleaned_data
        )


class OrganizationEditView(ScopedObjectFormView):
    action = "orgs.change"
    model = Organization
    form_class = OrganizationEditForm
    template_name = "orgs/form.html"
    success_message = "Đã lưu thay đổi."

    def perform(self, form: OrganizationEditForm) -> Organization:
        return services.organization_update(
            actor=self.request.user, organization=self.get_object(), **form.cleaned_data
        )


class OrganizationMoveView(ScopedObjectFormView):
    action = "orgs.move"
    model = Organization
    form_class = OrganizationMoveForm
    template_name = "orgs/move.html"
    success_message = "Đã chuyển tổ chức."

    def perform(self, form: OrganizationMoveForm) -> Organization:
        return services.organization_move(
            actor=self.request.user, organization=self.get_object(), **form.cleaned_data
        )


class AgencyCreateView(ScopedChildFormView):
    action = "orgs.add"
    model = Organization
    form_class = AgencyForm
    template_name = "orgs/agency_form.html"
    success_message = "Đã thêm cơ quan, đơn vị."

    def perform(self, form: AgencyForm) -> Agency:
        return services.agency_create(
            actor=self.request.user, organization=self.get_object(), **form.cleaned_data
        )


class TermCreateView(ScopedChildFormView):
    action = "orgs.add"
    model = Organization
    form_class = TermForm
    template_name = "orgs/term_form.html"
    success_message = "Đã ghi nhiệm kỳ."

    def perform(self, form: TermForm) -> Term:
        term, warnings = services.term_create(
            actor=self.request.user, organization=self.get_object(), **form.cleaned_data
        )
        for warning in warnings:
            messages.warning(self.request, warning)
        return term


class SeatCreateView(ScopedChildFormView):
    action = "orgs.change"
    model = Term
    form_class = SeatForm
    template_name = "orgs/seat_form.html"
    success_message = "Đã ghi cấp ủy viên."

    def perform(self, form: SeatForm) -> Any:
        return services.seat_create(
            actor=self.request.user, term=self.get_object(), **form.cleaned_data
        )


class SeatEndView(ScopedObjectFormView):
    """A committee member leaves the seat (end of term, transfer, retirement)."""

    action = "orgs.change"
    model = CommitteeSeat
    form_class = SeatEndForm
    template_name = "orgs/seat_end.html"
    success_message = "Đã ghi thôi giữ chức vụ."

    def perform(self, form: SeatEndForm) -> CommitteeSeat:
        return services.seat_end(
            actor=self.request.user, seat=self.get_object(), **form.cleaned_data
        )


class AgencyEditView(ScopedObjectFormView):
    action = "orgs.change"
    model = Agency
    form_class = AgencyEditForm
    template_name = "orgs/agency_form.html"
    success_message = "Đã lưu thay đổi."

    def perform(self, form: AgencyEditForm) -> Agency:
        return services.agency_update(
            actor=self.request.user, agency=self.get_object(), **form.cleaned_data
        )


class HomeView(ScopedTemplateView):
    """The start page: the user's roles and the size of their part of the tree."""

    action = "orgs.view"
    template_name = "orgs/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        return super().get_context_data(
            grants=access_selectors.own_grants(actor=user),
            roots=selectors.scope_roots(actor=user),
            kind_counts=selectors.kind_counts(actor=user),
            **kwargs,
        )
