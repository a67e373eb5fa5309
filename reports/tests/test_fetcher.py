"""The renderer reads the project's static files and nothing else."""

import pytest
from weasyprint import HTML

from reports.fetcher import STATIC_BASE, RefusedURL, StaticFilesFetcher, static_path_for


def test_static_files_are_served():
    assert static_path_for(f"{STATIC_BASE}css/pdf.css").name == "pdf.css"
    assert static_path_for(f"{STATIC_BASE}pdf-fonts/LiberationSerif-Regular.ttf").name == "LiberationSerif-Regular.ttf"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/static/css/pdf.css",
        "https://10.0.0.1/secret",
        "http://169.254.169.254/latest/meta-data/",
        "https://example.org/logo.png",
        "file:///etc/passwd",
        "data:text/css,body{}",
        f"{STATIC_BASE}../../../etc/passwd",
        f"{STATIC_BASE}%2e%2e/%2e%2e/cchc_inspect/settings.py",
        f"{STATIC_BASE}css/missing.css",
        "https://static.cchc.invalid:8443/css/pdf.css",
        "https://user@static.cchc.invalid/css/pdf.css",
    ],
)
def test_everything_else_is_refused(url):
    with pytest.raises(RefusedURL):
        static_path_for(url)


def test_a_document_asking_for_the_network_or_the_disk_renders_without_them():
    html = (
        '<html><head><link rel="stylesheet" href="css/pdf.css">'
        '<link rel="stylesheet" href="file:///etc/passwd"></head>'
        '<body><p>Xin chào</p><img src="http://127.0.0.1:9/x.png"><img src="https://10.1.2.3/y.png">'
        "<p style=\"background: url('/etc/hostname')\">x</p></body></html>"
    )
    fetcher = StaticFilesFetcher()
    HTML(string=html, base_url=STATIC_BASE, url_fetcher=fetcher).render()
    assert "pdf.css" in fetcher.served
    assert "file:///etc/passwd" in fetcher.refused
    assert "http://127.0.0.1:9/x.png" in fetcher.refused
    assert "https://10.1.2.3/y.png" in fetcher.refused
    assert not any("hostname" in name for name in fetcher.served)
