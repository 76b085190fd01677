"""What the demo's fake Sipstory server serves besides its answers: the web app's login page,
nginx's error pages and a few realistic channels for each organization."""

from __future__ import annotations

import uuid
from typing import Final

__all__ = ["LOGIN_PAGE", "default_channels", "nginx_page"]

LOGIN_PAGE: Final = b"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sipstory - Log in</title>
<link rel="icon" href="/favicon.ico">
</head>
<body>
<div id="__next">
<main class="auth">
<h1>Sipstory</h1>
<p>Log in to your account</p>
<form method="post" action="/auth/login">
<label for="email">Email</label>
<input id="email" type="email" name="email" autocomplete="email" required>
<label for="password">Password</label>
<input id="password" type="password" name="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>
<p><a href="/auth/forgot">Forgot password?</a> &middot; <a href="/auth">Create an account</a></p>
</main>
</div>
</body>
</html>
"""


def nginx_page(status: str) -> bytes:
    return (
        f"<html>\r\n<head><title>{status}</title></head>\r\n<body>\r\n"
        f"<center><h1>{status}</h1></center>\r\n<hr><center>nginx</center>\r\n"
        "</body>\r\n</html>\r\n"
    ).encode("ascii")


def default_channels(org: str) -> list[dict[str, object]]:
    """A few realistic channels for ``org``, with ids that stay the same from run to run."""
    handle = "".join(ch for ch in org.lower() if ch.isalnum()) or "org"
    title = " ".join(org.replace("-", " ").replace("_", " ").split()).title() or "Org"
    customer = {
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"sipstory-demo/{org}/customer")),
        "name": f"{title} Marketing",
    }
    specs: tuple[tuple[str, str, str, bool, bool], ...] = (
        # identifier, name, profile, disabled, has customer
        ("x", f"{title} on X", handle, False, False),
        ("linkedin-page", title, f"{handle}-company", False, True),
        ("bluesky", f"{title} (Bluesky)", f"{handle}.bsky.social", False, False),
        ("mastodon", f"{title} (Mastodon)", f"{handle}@mastodon.social", False, True),
        ("youtube", f"{title} Videos", f"@{handle}", True, False),
    )
    channels: list[dict[str, object]] = []
    for identifier, name, profile, disabled, has_customer in specs:
        channel_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"sipstory-demo/{org}/{identifier}"))
        channel: dict[str, object] = {
            "id": channel_id,
            "name": name,
            "identifier": identifier,
            "picture": f"https://cdn.sipstory.example.com/avatars/{channel_id}.png",
            "disabled": disabled,
            "profile": profile,
        }
        if has_customer:
            channel["customer"] = dict(customer)
        channels.append(channel)
    return channels
