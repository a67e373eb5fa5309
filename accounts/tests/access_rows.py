from tests.access import PERSONAS, Row, expect

everyone = dict.fromkeys(PERSONAS, 200)
signed_in_redirect = dict.fromkeys(PERSONAS, 302)
# The district's people: only its secretariat manages them.
secretariat_only = expect(403, secretariat=200)
authority_people = expect(200, commune_a=403, commune_a_lead=403, commune_b=403)


def commune_a_staff(world):
    return {"pk": world.users["commune_a"].pk}


ACCESS_ROWS = [
    # Signed-in people are sent on from the sign-in page.
    Row("accounts:login", {**signed_in_redirect, "anonymous": 200}),
    Row("accounts:logout", signed_in_redirect, method="post"),
    Row("set_language", signed_in_redirect, method="post", data=lambda w: {"language": "en", "next": "/"}),
    Row("home", expect(200)),
    Row("accounts:authority_choose", authority_people),
    Row("accounts:password_change", expect(200)),
    Row("accounts:password_reset", everyone),
    Row("accounts:password_reset_done", everyone),
    Row("accounts:password_reset_confirm", everyone, kwargs=lambda w: {"uidb64": "MQ", "token": "bad-token"}),
    Row("accounts:password_reset_complete", everyone),
    Row("accounts:people", secretariat_only),
    Row("accounts:person_create", secretariat_only),
    # Nothing just created: back to the people list.
    Row("accounts:people_created", expect(403, secretariat=302)),
    Row("accounts:people_import", secretariat_only),
    Row("accounts:people_sheet_example", secretariat_only),
    Row("accounts:person_edit", secretariat_only, kwargs=commune_a_staff),
    Row(
        "accounts:person_set_active",
        expect(403, secretariat=302),
        kwargs=commune_a_staff,
        method="post",
        data=lambda w: {"active": "0"},
    ),
    Row("accounts:person_reset_password", expect(403, secretariat=302), kwargs=commune_a_staff, method="post"),
    Row("accounts:signin_history", expect(200)),
    # The secretariat (and the administrator) lift lockouts; nobody else sees them.
    Row("accounts:lockout_list", expect(403, secretariat=200)),
    Row(
        "accounts:lockout_clear",
        expect(403, secretariat=302),
        method="post",
        data=lambda w: {"username": "commune_b"},
    ),
    # Second factor: every signed-in person manages his own; without an app there is nothing to verify.
    Row("accounts:two_factor", expect(200)),
    Row("accounts:otp_setup", expect(200)),
    Row("accounts:otp_verify", expect(302)),
    Row("accounts:otp_disable", expect(302), method="post"),
    Row("accounts:recovery_codes_renew", expect(302), method="post"),
]
