"""Read-only REST API of the member registry, scoped like the pages.

Lists show national IDs masked (``045•••••0123``); one member's record shows the full number.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers

from dangvu.core.api import ScopedViewSet
from dangvu.members import selectors
from dangvu.members.choices import TransferState
from dangvu.members.forms import STATUS_CHOICES
from dangvu.members.models import Member, MemberEvent, Stint, Transfer
from dangvu.orgs.api import ScopedPrimaryKeyField
from dangvu.orgs.models import Organization


def mask_national_id(value: str | None) -> str | None:
    """``045085000123`` → ``045•••••0123``: enough to tell records apart, not to reuse."""
    if not value:
        return value
    if len(value) == 12:
        return f"{value[:3]}•••••{value[-4:]}"
    return "•" * 8


class MemberListSerializer(serializers.ModelSerializer):
    national_id = serializers.SerializerMethodField(
        help_text="Số CCCD đã che (xem đủ ở từng hồ sơ)"
    )
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    status = serializers.SerializerMethodField(help_text="full, probationary, hoặc null")

    class Meta:
        model = Member
        fields = [
            "id",
            "full_name",
            "birth_date",
            "gender",
            "ethnicity",
            "national_id",
            "card_number",
            "organization",
            "organization_name",
            "admitted_on",
            "recognized_on",
            "exited_on",
            "exit_kind",
            "status",
        ]
        read_only_fields = fields

    def get_national_id(self, member: Member) -> str | None:
        return mask_national_id(member.national_id)

    def get_status(self, member: Member) -> str | None:
        status = member.status_on(timezone.localdate())
        return str(status) if status is not None else None


class EventSerializer(serializers.ModelSerializer):
    class Meta:
        model = MemberEvent
        fields = [
            "kind",
            "date",
            "end_date",
            "decision_number",
            "decision_date",
            "issuer",
            "organization",
            "note",
        ]
        read_only_fields = fields


class StintSerializer(serializers.ModelSerializer):
    class Meta:
        model = Stint
        fields = ["organization", "start", "end", "start_reason", "end_reason", "recognized_on"]
        read_only_fields = fields


class MemberDetailSerializer(MemberListSerializer):
    national_id = serializers.CharField(read_only=True, allow_null=True)  # type: ignore[assignment]
    party_age = serializers.SerializerMethodField(help_text="Tuổi đảng hôm nay, null nếu chưa tính")
    events = EventSerializer(many=True, read_only=True)
    stints = StintSerializer(many=True, read_only=True)

    class Meta(MemberListSerializer.Meta):
        fields = [
            *MemberListSerializer.Meta.fields,
            "religion",
            "hometown",
            "residence",
            "education",
            "qualification",
            "theory_level",
            "position",
            "agency",
            "phone",
            "email",
            "readmitted_on",
            "version",
            "party_age",
            "events",
            "stints",
        ]
        read_only_fields = fields

    def get_party_age(self, member: Member) -> str | None:
        age = selectors.party_age(member, timezone.localdate())
        return str(age) if age is not None else None


class MemberQuerySerializer(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=100)
    # DRF's Vietnamese catalogue lacks these messages. A missing organization and one
    # outside the scope get the same one.
    organization = ScopedPrimaryKeyField(
        action="members.view",
        queryset=Organization.objects.unscoped(),
        required=False,
        error_messages={
            "does_not_exist": "Không tìm thấy tổ chức.",
            "incorrect_type": "Mã tổ chức phải là một số.",
        },
    )
    status = serializers.ChoiceField(
        choices=STATUS_CHOICES,
        required=False,
        allow_blank=True,
        error_messages={"invalid_choice": "“{input}” không phải là một lựa chọn hợp lệ."},
    )


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, description="Họ tên không dấu, CCCD, số thẻ"),
            OpenApiParameter(
                "organization", OpenApiTypes.INT, description="Tổ chức (cả các tổ chức trực thuộc)"
            ),
            OpenApiParameter(
                "status",
                OpenApiTypes.STR,
                enum=[value for value, _ in STATUS_CHOICES],
                description="Trống: đang sinh hoạt; full; probationary; exited",
            ),
        ]
    )
)
class MemberViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Members in the user's scope, in Vietnamese order (given name first). ``?q=`` searches
    like the member page (no diacritics needed; a CCCD or a card number); ``?organization=``
    keeps a subtree; ``?status=`` is ``full``, ``probationary`` or ``exited`` (default: the
    members on a cell's roll)."""

    queryset = Member.objects.select_related("organization")
    serializer_class = MemberListSerializer
    scope_app = "members"

    def get_serializer_class(self) -> Any:
        return MemberDetailSerializer if self.action == "retrieve" else MemberListSerializer

    def filter_queryset(self, queryset: Any) -> Any:
        if self.action != "list":
            return queryset.prefetch_related("stints", "events")
        params = MemberQuerySerializer(
            data=self.request.query_params, context=self.get_serializer_context()
        )
        params.is_valid(raise_exception=True)
        data = params.validated_data
        filters = selectors.MemberFilters(
            q=data.get("q", ""),
            organization=data.get("organization"),
            status=data.get("status", ""),
        )
        rows = selectors.member_list(actor=self.request.user, filters=filters)
        return rows.prefetch_related("stints")


class TransferSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.full_name", read_only=True)

    class Meta:
        model = Transfer
        fields = [
            "id",
            "member",
            "member_name",
            "kind",
            "state",
            "from_organization",
            "to_organization",
            "outside",
            "reason",
            "effective_on",
            "letter_number",
            "letter_date",
            "presented_on",
            "planned_end",
            "returned_on",
            "late_reason",
        ]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "state", OpenApiTypes.STR, enum=TransferState.values, description="Trạng thái"
            )
        ]
    )
)
class TransferViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Transfers of party activity seen from either end in the user's scope (newest first)."""

    queryset = Transfer.objects.select_related("member", "from_organization", "to_organization")
    serializer_class = TransferSerializer
    scope_app = "members"

    def filter_queryset(self, queryset: Any) -> Any:
        state = self.request.query_params.get("state", "")
        if self.action != "list":
            return queryset
        if state and state not in TransferState.values:
            raise serializers.ValidationError({"state": "Trạng thái không hợp lệ."})
        return selectors.transfer_list(actor=self.request.user, state=state)
