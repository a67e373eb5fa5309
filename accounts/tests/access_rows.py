from tests.access import PERSONAS, Row, expect

everyone = dict.fromkeys(PERSONAS, 200)
signed_in_redirect = dict.fromkeys(PERSONAS, 302)

ACCESS_ROWS = [
    # Signed-in people are sent on from the sign-in page.
    Row("accounts:login", {**signed_in_redirect, "anonymous": 200}),
    Row("accounts:logout", signed_in_redirect, method="post"),
    Row("set_language", signed_in_redirect, method="post", data=lambda w: {"language": "en", "next": "/"}),
    Row("home", expect(200)),
]
