#!/usr/bin/env python3
"""Signs in to the console the way a browser does and prints the session cookie's value.

    console_session.py http://127.0.0.1:18080 coordinator@example.com PASSWORD
"""
import http.cookiejar
import re
import sys
import urllib.parse
import urllib.request

base, email, password = sys.argv[1:4]
jar = http.cookiejar.CookieJar()
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
form = opener.open(base + "/console/login").read().decode()
token = re.search(r'name="_csrf" value="([^"]+)"', form).group(1)
body = urllib.parse.urlencode({"_csrf": token, "email": email, "password": password, "next": "/console"}).encode()
opener.open(urllib.request.Request(base + "/console/login", data=body, headers={"Origin": base}))
session = next((c.value for c in jar if c.name == "vigil_session"), None)
if not session:
    sys.exit("sign-in failed: no session cookie")
print(session)
