"""Pages of the member registry. Thin: reads through the selectors (and the quality reader),
writes through one service each, scoped by the base views."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.db.models import QuerySet, prefetch_related_objects
from django.http import Http404, HttpRequest
from django.utils import timezone

from dangvu.access import scope
from dangvu.core.views import (
    ScopedDetailView,
    ScopedFormView,
    ScopedListView,
    ScopedObjectFormView,
    ScopedTemplateView,
)
from dangvu.members import quality, selectors, services
from dangvu.members.choices import TransferKind, TransferState
from dangvu.members.forms import (
    AsOfForm,
    EventForm,
    MemberCreateForm,
    MemberEditForm,
    MemberFilterForm,
    TransferOutForm,
    TransferReceiveForm,
    TransferReturnForm,
    TransferTemporaryForm,
)
from dangvu.members.models import Member, Stint, Transfer
from dangvu.metrics import registry
from dangvu.metrics.registry import Period
from dangvu.orgs.models import Organization

HEAD_COUNTS = ("members.count", "members.full.count", "members.probationary.count")


def _warn(request: HttpRequest, warnings: Iterable[object]) -> None:
    """Rule warnings the service accepted and recorded: shown once after the redirect."""
    for warning in warnings:
        messages.warning(request, str(warning))


def _head_counts(organization: Organization, day: Any) -> list[tuple[str, registry.Value]]:
    """The head-counts of the registry for ``organization``'s subtree on ``day``."""
    return [
        (registry.get(key).label, registry.get(key).compute(organization, Period.day(day)))
        for key in HEAD_COUNTS
    ]


class MemberListView(ScopedListView):
    """Search and filters; htmx swaps only the results (``#member-results``)."""

    action = "members.view"
    model = Member
    template_name = "members/list.html"
    context_object_name = "members"

    def get_queryset(self) -> QuerySet[Member]:
        user = self.request.user
        self.filter_form = MemberFilterForm(self.request.GET or None, actor=user)
        filters = self.filter_form.filters()
        if filters is None:
            return Member.objects.none()
        return selectors.member_list(actor=user, filters=filters)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            filter_form=self.filter_form,
            can_add=scope.has_any(self.request.user, "members.add"),
            can_import=scope.has_any(self.request.user, "members.import"),
            can_export=scope.has_any(self.request.user, "members.export"),
            **kwargs,
        )

    def get_template_names(self) -> list[str]:
        if self.request.htmx and self.request.htmx.target == "member-results":  # type: ignore[attr-defined]
            return ["members/_results.html"]
        return [self.template_name]


class MemberDetailView(ScopedDetailView):
    """The profile: the whole record, status and party age today, events, stints, transfers."""

    action = "members.view"
    model = Member
    template_name = "members/detail.html"
    context_object_name = "member"

    def get_object(self, queryset: QuerySet[Member] | None = None) -> Member:
        return selectors.member_get(actor=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        member, today = self.object, timezone.localdate()
        prefetch_related_objects(
            [member],
            "stints__organization",
            "events__organization",
            "transfers__from_organization",
            "transfers__to_organization",
        )
        return super().get_context_data(
            today=today,
            status=member.status_on(today),
            party_age=selectors.party_age(member, today),
            **kwargs,
        )


class MemberCreateView(ScopedFormView):
    """Put a member on a cell's roll (newly admitted or arriving with their membership)."""

    action = "members.add"
    form_class = MemberCreateForm
    template_name = "members/create.html"
    success_message = "Đã thêm đảng viên."

    def get_initial(self) -> dict[str, Any]:
        return {"organization": self.request.GET.get("organization"), "ethnicity": "Kinh"}

    def perform(self, form: MemberCreateForm) -> Member:
        member, warnings = services.member_create(actor=self.request.user, **form.cleaned_data)
        _warn(self.request, warnings)
        return member


class MemberEditView(ScopedObjectFormView):
    action = "members.change"
    model = Member
    form_class = MemberEditForm
    template_name = "members/form.html"
    success_message = "Đã lưu hồ sơ đảng viên."

    def perform(self, form: MemberEditForm) -> Member:
        return services.member_update(
            actor=self.request.user, member=self.get_object(), **form.cleaned_data
        )


class EventRecordView(ScopedObjectFormView):
    """Recognition, exemption, suspension, the exits and readmission."""

    action = "members.change"
    model = Member
    form_class = EventForm
    template_name = "members/event_form.html"
    success_message = "Đã ghi sự kiện."

    def perform(self, form: EventForm) -> Member:
        member = self.get_object()
        services.event_record(actor=self.request.user, member=member, **form.cleaned_data)
        return member


class TransferOutView(ScopedObjectFormView):
    action = "members.transfer"
    model = Member
    form_class = TransferOutForm
    template_name = "members/transfer_form.html"
    success_message = "Đã ghi chuyển sinh hoạt đảng chính thức."
    extra_context = {"title": "Chuyển sinh hoạt đảng chính thức"}

    def perform(self, form: TransferOutForm) -> Member:
        transfer, warnings = services.transfer_out(
            actor=self.request.user, member=self.get_object(), **form.cleaned_data
        )
        _warn(self.request, warnings)
        return transfer.member


class TransferTemporaryView(ScopedObjectFormView):
    action = "members.transfer"
    model = Member
    form_class = TransferTemporaryForm
    template_name = "members/transfer_form.html"
    success_message = "Đã ghi chuyển sinh hoạt tạm thời."
    extra_context = {"title": "Chuyển sinh hoạt đảng tạm thời"}

    def perform(self, form: TransferTemporaryForm) -> Member:
        transfer = services.transfer_temporary(
            actor=self.request.user, member=self.get_object(), **form.cleaned_data
        )
        return transfer.member


class TransferReceiveView(ScopedObjectFormView):
    """The receiving cell records the day the member presented the introduction letter."""

    action = "members.transfer"
    model = Transfer
    form_class = TransferReceiveForm
    template_name = "members/transfer_receive.html"
    success_message = "Đã nhận đảng viên vào chi bộ."

    def get_queryset(self) -> QuerySet[Transfer]:
        # Only official transfers are received; a temporary one ends with a return.
        return super().get_queryset().filter(kind=TransferKind.OFFICIAL)

    def perform(self, form: TransferReceiveForm) -> Member:
        transfer, warnings = services.transfer_receive(
            actor=self.request.user, transfer=self.get_object(), **form.cleaned_data
        )
        _warn(self.request, warnings)
        return transfer.member


class TransferReturnView(ScopedObjectFormView):
    """The member is back in the home cell from temporary activity elsewhere."""

    action = "members.transfer"
    model = Transfer
    form_class = TransferReturnForm
    template_name = "members/transfer_return.html"
    success_message = "Đã ghi trở lại sinh hoạt."

    def perform(self, form: TransferReturnForm) -> Member:
        transfer = services.transfer_return(
            actor=self.request.user, transfer=self.get_object(), **form.cleaned_data
        )
        return transfer.member


@dataclass(frozen=True)
class PendingTransfer:
    transfer: Transfer
    overdue: selectors.OverdueTransfer | None


class TransferListView(ScopedTemplateView):
    """Transfers on the way: to receive (arriving in the scope) and sent (leaving it)."""

    action = "members.view"
    template_name = "members/transfers.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        overdue = {o.transfer.pk: o for o in selectors.transfers_overdue(actor=user)}
        pending = [
            PendingTransfer(t, overdue.get(t.pk))
            for t in selectors.transfer_list(actor=user, state=TransferState.IN_TRANSIT)
        ]
        return super().get_context_data(
            incoming=[p for p in pending if _sees(user, p.transfer.to_organization)],
            outgoing=[p for p in pending if _sees(user, p.transfer.from_organization)],
            overdue_count=len(overdue),
            completed=selectors.transfer_list(actor=user, state=TransferState.COMPLETED)[:30],
            **kwargs,
        )


def _sees(user: Any, organization: Organization | None) -> bool:
    """Which end of a visible transfer lies in the user's scope (the list is already scoped)."""
    return organization is not None and scope.covers(user, "members.view", organization.path)


class AsOfView(ScopedListView):
    """The roster of an organization's subtree on a past day, with the registry's counts."""

    action = "members.view"
    model = Stint
    template_name = "members/as_of.html"
    context_object_name = "stints"

    def get_queryset(self) -> QuerySet[Stint]:
        self.form = AsOfForm(
            self.request.GET or None,
            actor=self.request.user,
            initial={"ngay": timezone.localdate()},
        )
        if not self.form.is_valid():
            return Stint.objects.none()
        return selectors.members_as_of(
            actor=self.request.user,
            organization=self.form.cleaned_data["org"],
            day=self.form.cleaned_data["ngay"],
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(form=self.form, **kwargs)
        if self.form.is_valid():
            org, day = self.form.cleaned_data["org"], self.form.cleaned_data["ngay"]
            context.update(
                organization=org,
                day=day,
                rows=[(stint, stint.status_on(day)) for stint in context["page_obj"]],
                counts=_head_counts(org, day),
            )
        return context


class QualityView(ScopedTemplateView):
    action = "members.view"
    template_name = "members/quality.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(report=quality.report(actor=self.request.user), **kwargs)


class QualityListView(ScopedListView):
    """The fix-list of one figure (``?chi-so=…``), for one unit (``&org=<id>``) or all."""

    action = "members.view"
    model = Member
    template_name = "members/quality_list.html"

    def get_queryset(self) -> Any:
        user = self.request.user
        self.figure = self.request.GET.get("chi-so") or next(iter(quality.FIGURES))
        if self.figure not in quality.FIGURES:
            raise Http404("Không có chỉ số này.")
        org = self.request.GET.get("org", "")
        if org and not org.isdigit():
            raise Http404("Không tìm thấy tổ chức.")
        self.unit = quality.unit_get(actor=user, pk=int(org)) if org else None
        if self.figure in quality.MEMBER_FIGURES:
            return quality.member_fix_list(actor=user, figure=self.figure, unit=self.unit)
        return quality.organization_fix_list(actor=user, figure=self.figure, unit=self.unit)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(
            figure=self.figure, title=quality.FIGURES[self.figure], unit=self.unit, **kwargs
        )
        if self.figure in quality.MEMBER_FIGURES:
            context["rows"] = [(m, quality.problem(self.figure, m)) for m in context["page_obj"]]
        return context


class OrganizationMembersView(ScopedDetailView):
    """The head-counts of an organization today (loaded into its page by htmx)."""

    action = "members.view"
    model = Organization
    template_name = "members/_org_summary.html"
    context_object_name = "organization"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        today = timezone.localdate()
        return super().get_context_data(
            today=today, counts=_head_counts(self.object, today), **kwargs
        )
