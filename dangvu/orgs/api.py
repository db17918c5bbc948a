"""REST API of the organization tree and agencies (thin: serializers parse, services write)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from dangvu.core.api import ScopedViewSet
from dangvu.orgs import selectors, services
from dangvu.orgs.models import Agency, Organization, OrgKind


class ScopedPrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """A related id checked against the requesting user's scope for ``action``."""

    def __init__(self, *, action: str, **kwargs: Any) -> None:
        self.scope_action = action
        super().__init__(**kwargs)

    def get_queryset(self) -> Any:
        return super().get_queryset().restrict(self.context["request"].user, self.scope_action)


class OrganizationSerializer(serializers.ModelSerializer):
    parent = serializers.SerializerMethodField()

    class Meta:
        model = Organization
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "parent",
            "depth",
            "valid_from",
            "valid_to",
            "decision",
            "version",
        ]
        read_only_fields = fields

    def get_parent(self, org: Organization) -> int | None:
        parent_path = org.path[: -Organization.steplen]
        return self.context.get("parent_ids", {}).get(parent_path)


class OrganizationWriteSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=32)
    name = serializers.CharField(max_length=255)
    kind = serializers.ChoiceField(choices=OrgKind.choices)
    valid_from = serializers.DateField()
    valid_to = serializers.DateField(required=False, allow_null=True)
    decision = serializers.CharField(max_length=100, required=False, allow_blank=True)


class OrganizationCreateSerializer(OrganizationWriteSerializer):
    parent = ScopedPrimaryKeyField(action="orgs.add", queryset=Organization.objects.unscoped())


class OrganizationUpdateSerializer(OrganizationWriteSerializer):
    version = serializers.IntegerField(
        help_text="Phiên bản đã đọc; bản cũ hơn sẽ bị từ chối (409)."
    )


class OrganizationMoveSerializer(serializers.Serializer):
    new_parent = ScopedPrimaryKeyField(action="orgs.move", queryset=Organization.objects.unscoped())
    version = serializers.IntegerField()
    reason = serializers.CharField(max_length=300)


class OrganizationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, ScopedViewSet
):
    """Organizations in the user's scope, in tree order. ``?q=`` searches name (no diacritics)
    and code; ``?kind=`` filters by kind."""

    queryset = Organization.objects.unscoped()
    serializer_class = OrganizationSerializer
    scope_app = "orgs"
    scope_actions = {"move": "orgs.move"}
    http_method_names = ["get", "post", "put", "head", "options"]

    def filter_queryset(self, queryset: Any) -> Any:
        q = self.request.query_params.get("q", "")
        kind = self.request.query_params.get("kind", "")
        if self.action == "list" and (q or kind):
            return selectors.organization_list(actor=self.request.user, q=q, kind=kind)
        return queryset

    def get_serializer(self, *args: Any, **kwargs: Any) -> Any:
        if args and "data" not in kwargs:
            rows = list(args[0]) if kwargs.get("many") else [args[0]]
            kwargs["context"] = {
                **self.get_serializer_context(),
                "parent_ids": _parent_ids(self.request, rows),
            }
        return super().get_serializer(*args, **kwargs)

    @extend_schema(request=OrganizationCreateSerializer, responses={201: OrganizationSerializer})
    def create(self, request: Request) -> Response:
        data = _valid(OrganizationCreateSerializer, request)
        org = services.organization_create(actor=request.user, **data)
        return Response(self._out(org), status=status.HTTP_201_CREATED)

    @extend_schema(request=OrganizationUpdateSerializer, responses=OrganizationSerializer)
    def update(self, request: Request, pk: int | None = None) -> Response:
        data = _valid(OrganizationUpdateSerializer, request)
        org = services.organization_update(
            actor=request.user, organization=self.get_object(), **data
        )
        return Response(self._out(org))

    @extend_schema(request=OrganizationMoveSerializer, responses=OrganizationSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: int | None = None) -> Response:
        data = _valid(OrganizationMoveSerializer, request)
        org = services.organization_move(actor=request.user, organization=self.get_object(), **data)
        return Response(self._out(org))

    def _out(self, org: Organization) -> Any:
        return self.get_serializer(org).data


def _valid(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data, context={"request": request})
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _parent_ids(request: Request, rows: list[Organization]) -> dict[str, int]:
    """Path → id of the parents of ``rows`` in one query (a parent outside the user's scope
    is reported as null, like a root)."""
    paths = {org.path[: -Organization.steplen] for org in rows if org.depth > 1}
    visible = Organization.objects.restrict(request.user, "orgs.view").filter(path__in=paths)
    return dict(visible.values_list("path", "id"))


class AgencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "code", "name", "organization", "valid_from", "valid_to", "version"]
        read_only_fields = fields


class AgencyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Agencies and units led by the grassroots organizations in the user's scope."""

    queryset = Agency.objects.select_related("organization")
    serializer_class = AgencySerializer
    scope_app = "orgs"
