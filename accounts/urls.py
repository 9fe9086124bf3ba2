from django.urls import path

from accounts import two_factor_views, views

app_name = "accounts"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("signup/", views.signup, name="signup"),
    path("signup/done/", views.signup_done, name="signup_done"),
    path("verify/<str:token>/", views.verify_email, name="verify_email"),
    path("verify-resend/", views.resend_verification, name="resend_verification"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("logout/everywhere/", views.logout_everywhere, name="logout_everywhere"),
    path("two-factor/", two_factor_views.two_factor, name="two_factor"),
    path("two-factor/code/", two_factor_views.two_factor_verify, name="two_factor_verify"),
    path("confirm/", two_factor_views.reauthenticate, name="reauthenticate"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("password/reset/done/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("password/", views.password_change, name="password_change"),
    path("profile/", views.profile, name="profile"),
    path("delete/", views.account_delete, name="account_delete"),
    path("organization/members/", views.members, name="members"),
    path("organization/invitations/", views.invitation_create, name="invitation_create"),
    path(
        "organization/invitations/<uuid:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("organization/members/<uuid:member_id>/remove/", views.member_remove, name="member_remove"),
    path("organization/members/<uuid:member_id>/role/", views.member_role, name="member_role"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("plans/", views.plans, name="plans"),
    path("plans/request/", views.upgrade_request, name="upgrade_request"),
]
