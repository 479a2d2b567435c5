from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import (
    AcceptInvitationView,
    InvitationListView,
    MemberDetailView,
    MemberListView,
    TenantViewSet,
)

router = SimpleRouter()
router.register("tenants", TenantViewSet, basename="tenant")

urlpatterns = [
    path("tenants/<slug:slug>/members/", MemberListView.as_view(), name="tenant-members"),
    path(
        "tenants/<slug:slug>/members/<uuid:user_id>/",
        MemberDetailView.as_view(),
        name="tenant-member-detail",
    ),
    path(
        "tenants/<slug:slug>/invitations/", InvitationListView.as_view(), name="tenant-invitations"
    ),
    path("invitations/accept/", AcceptInvitationView.as_view(), name="invitation-accept"),
    *router.urls,
]
