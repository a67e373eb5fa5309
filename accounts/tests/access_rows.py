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
    Row("accounts:person_reset_password", secretariat_only, kwargs=commune_a_staff, method="post"),
]
