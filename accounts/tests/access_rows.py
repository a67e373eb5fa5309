from tests.access import PERSONAS, Row, expect

everyone = dict.fromkeys(PERSONAS, 200)
signed_in_redirect = dict.fromkeys(PERSONAS, 302)

ACCESS_ROWS = [
    # Signed-in people are sent on from the sign-in page.
    Row("accounts:login", {**signed_in_redirect, "anonymous": 200}),
    Row("accounts:logout", signed_in_redirect, method="post"),
    Row("set_language", signed_in_redirect, method="post", data=lambda w: {"language": "en", "next": "/"}),
    Row("home", expect(200)),
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
