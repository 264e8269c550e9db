#!/usr/bin/env python3
"""A console page's weight as a browser loads it: its HTML plus every stylesheet, script and
image it refers to, uncompressed; and how many of those live on another host (must be none).
Prints "html_bytes total_bytes files external".

    page_weight.py http://127.0.0.1:18080 SESSION_COOKIE /console/incident-ops?region=BR-SP
"""
import html.parser
import sys
import urllib.parse
import urllib.request

base, session, path = sys.argv[1:4]


def fetch(target: str) -> bytes:
    request = urllib.request.Request(urllib.parse.urljoin(base, target), headers={"Cookie": "vigil_session=" + session, "Accept-Encoding": "identity"})
    with urllib.request.urlopen(request) as response:
        return response.read()


class References(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("src"):
            self.found.append(attrs["src"])
        elif tag == "link" and attrs.get("href") and attrs.get("rel") in ("stylesheet", "icon", "preload", "manifest"):
            self.found.append(attrs["href"])
        elif tag in ("img", "source", "iframe") and attrs.get("src"):
            self.found.append(attrs["src"])


page = fetch(path)
parser = References()
parser.feed(page.decode())
host = urllib.parse.urlsplit(base).netloc
external = [ref for ref in parser.found if urllib.parse.urlsplit(urllib.parse.urljoin(base, ref)).netloc != host]
total = len(page) + sum(len(fetch(ref)) for ref in parser.found if ref not in external)
print(len(page), total, len(parser.found), len(external))
