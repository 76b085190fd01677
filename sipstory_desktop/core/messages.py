"""The English texts of check results (their ``message`` and ``hint``), as templates.

The core says them in English: the command line, its JSON output and state.json keep
them so, byte for byte. Each template is marked with :func:`QT_TRANSLATE_NOOP` (context
:data:`CONTEXT`), which ``pyside6-lupdate`` finds in this file, so that the window can
recognise a stored English text by its template and say it in the user's language
(gui/result_texts.py). Placeholders are ``{name}``; literal braces are doubled.
No Qt here: core/ must run without it.
"""

from __future__ import annotations

CONTEXT = "CheckMessages"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # the name lupdate knows
    """Mark ``text`` for translation in ``context``; returns it unchanged."""
    return text


def _t(text: str) -> str:
    TEMPLATES.append(text)
    return text


TEMPLATES: list[str] = []
"""Every template below, in the order they are defined."""

# --- classify.py: an answer came ----------------------------------------------------------

REDIRECTED = _t(QT_TRANSLATE_NOOP(
    "CheckMessages",
    "The server redirects to {target} (HTTP {status}); the key was not sent there.",
))  # fmt: skip
REDIRECTED_NOWHERE = _t(QT_TRANSLATE_NOOP(
    "CheckMessages",
    "The server redirects to an address it did not give (HTTP {status}); the key was not "
    "sent there.",
))  # fmt: skip
REDIRECTED_HINT = _t(QT_TRANSLATE_NOOP(
    "CheckMessages",
    "Sipstory Desktop never follows a redirect with your key. If you trust the new "
    "address, use it as the base URL (often http:// → https://, or a missing /api).",
))  # fmt: skip
RATE_LIMITED_RESETS = _t(QT_TRANSLATE_NOOP(
    "CheckMessages",
    "The key is valid, but the organization has used up its requests for this hour "
    "({limit}/{limit} used; HTTP 429). The limit resets within the hour.",
))  # fmt: skip
RATE_LIMITED_AT = _t(QT_TRANSLATE_NOOP(
    "CheckMessages",
    "The key is valid, but the organization has used up its requests for this hour "
    "({limit}/{limit} used; HTTP 429). It may be checked again in {minutes} min, at {clock}.",
))  # fmt: skip
RATE_LIMITED_HINT = _t(QT_TRANSLATE_NOOP(
    "CheckMessages",
    "Wait until then. Each check may count against the organization's {limit} "
    "requests per hour, so avoid checking again and again.",
))  # fmt: skip
NO_SUBSCRIPTION = _t(QT_TRANSLATE_NOOP(
    "CheckMessages", "The key is valid, but its organization has no subscription."
))  # fmt: skip
NO_SUBSCRIPTION_HINT = _t(QT_TRANSLATE_NOOP(
    "CheckMessages",
    "Start or renew the organization's subscription in Sipstory's billing "
    "settings; the key itself is fine.",
))  # fmt: skip
NO_KEY_RECEIVED = _t(QT_TRANSLATE_NOOP(
    "CheckMessages", "The server received no key (No API Key found)."
))  # fmt: skip
NO_KEY_RECEIVED_HINT = _t(QT_TRANSLATE_NOOP(
    "CheckMessages",
    "A proxy in front of the server may strip the Authorization header: "
    "check its configuration.",
))  # fmt: skip
INVALID_KEY = _t(QT_TRANSLATE_NOOP(
    "CheckMessages", "The server rejected the key: Invalid API key."
))  # fmt: skip
ROTATION_HINT = _t(QT_TRANSLATE_NOOP(
    "CheckMessages",
    "A key stops working at once when it is rotated in Settings → Developers → API Key. "
    "Copy the current key from there and replace the one saved here.",
))  # fmt: skip
REJECTED_SILENTLY = _t(QT_TRANSLATE_NOOP(
    "CheckMessages",
    "The server rejected the key without a reason (HTTP {status}); its key "
    "lookup may have failed.",
))  # fmt: skip
REJECTED_SILENTLY_HINT = _t(QT_TRANSLATE_NOOP(
    "CheckMessages",
    "Try again in a moment. If it persists, copy the key again from "
    "Settings → Developers → API Key.",
))  # fmt: skip
REFUSED = _t(QT_TRANSLATE_NOOP("CheckMessages", "The server refused the key (HTTP {status})."))
REFUSED_SAYING = _t(QT_TRANSLATE_NOOP(
    "CheckMessages", "The server refused the key (HTTP {status}): {said}."
))  # fmt: skip
SERVER_ERROR = _t(QT_TRANSLATE_NOOP("CheckMessages", "The server failed with HTTP {status}."))
SERVER_ERROR_HINT = _t(QT_TRANSLATE_NOOP(
    "CheckMessages",
    "The fault is on the server's side, not your key: try again later, or look at "
    "the instance's logs if it is yours.",
))  # fmt: skip
TRUNCATED = _t(QT_TRANSLATE_NOOP(
    "CheckMessages",
    "The server answered HTTP {status} with more than {kib} KiB of {content_type}; the "
    'rest was not read. A Sipstory API answers {{"connected": true}}, a few bytes.',
))  # fmt: skip
NOT_SIPSTORY_HINT = _t(QT_TRANSLATE_NOOP(
    "CheckMessages", "Check the base URL, and that the server really is Sipstory."
))  # fmt: skip
NOT_JSON = _t(QT_TRANSLATE_NOOP(
    "CheckMessages",
    "The server answered HTTP {status} with {kind}, not JSON: this URL is not a "
    "Sipstory API.",
))  # fmt: skip
NO_CONTENT_TYPE = _t(QT_TRANSLATE_NOOP("CheckMessages", "no content type"))
CONNECTED = _t(QT_TRANSLATE_NOOP(
    "CheckMessages", "The key works: the server confirmed the connection."
))  # fmt: skip
NOT_CONFIRMED = _t(QT_TRANSLATE_NOOP(
    "CheckMessages",
    "The server answered HTTP {status} but did not confirm the connection: {shown}",
))  # fmt: skip
NOT_CONFIRMED_HINT = _t(QT_TRANSLATE_NOOP(
    "CheckMessages",
    'A Sipstory API answers {{"connected": true}}. Check the base URL, and that the '
    "server really is Sipstory.",
))  # fmt: skip
PAYMENT_HINT = _t(QT_TRANSLATE_NOOP(
    "CheckMessages",
    "The server asks for payment: check the organization's billing in Sipstory.",
))  # fmt: skip
UNKNOWN_ANSWER_HINT = _t(QT_TRANSLATE_NOOP(
    "CheckMessages",
    "Check the base URL and the server's version; this is not a Sipstory answer.",
))  # fmt: skip
UNEXPECTED = _t(QT_TRANSLATE_NOOP("CheckMessages", "Unexpected answer: HTTP {status}."))
UNEXPECTED_SAYING = _t(QT_TRANSLATE_NOOP(
    "CheckMessages", "Unexpected answer: HTTP {status}: {said}."
))  # fmt: skip
SUGGESTION_HINT = _t(QT_TRANSLATE_NOOP(
    "CheckMessages",
    "Try {suggestion} as the base URL (a self-hosted API lives under /api/public/v1).",
))  # fmt: skip
BASE_URL_HINT = _t(QT_TRANSLATE_NOOP(
    "CheckMessages",
    "Check the base URL: Sipstory Cloud is https://api.sipstory.tech/public/v1, a "
    "self-hosted instance https://your-domain/api/public/v1.",
))  # fmt: skip
NOTHING_AT = _t(QT_TRANSLATE_NOOP(
    "CheckMessages",
    "Nothing answers at {url}/is-connected (HTTP 404): this URL is not a Sipstory API.",
))  # fmt: skip
WEB_APP = _t(QT_TRANSLATE_NOOP(
    "CheckMessages",
    "This is the web app, not the API: the server answered with a web page.",
))  # fmt: skip
UNREADABLE = _t(QT_TRANSLATE_NOOP(
    "CheckMessages", "The answer (HTTP {status}) could not be read: {error}."
))  # fmt: skip
REPORT_HINT = _t(QT_TRANSLATE_NOOP(
    "CheckMessages", "Check the base URL; if this persists, report it with the app's log."
))  # fmt: skip

# --- classify.py: no usable answer ----------------------------------------------------------

TLS_FAILED = _t(QT_TRANSLATE_NOOP(
    "CheckMessages", "The TLS connection to {host} failed: {reason}."
))  # fmt: skip
TLS_FAILED_VIA = _t(QT_TRANSLATE_NOOP(
    "CheckMessages", "The TLS connection to {host} through the proxy {proxy} failed: {reason}."
))  # fmt: skip
TLS_HINT = _t(QT_TRANSLATE_NOOP(
    "CheckMessages",
    "If the instance uses a private certificate authority, add it to your "
    "system's trust store. Check that the address is the one on the certificate, and "
    "that the certificate has not expired.",
))  # fmt: skip
TLS_HINT_VIA = _t(QT_TRANSLATE_NOOP(
    "CheckMessages",
    "A proxy that inspects TLS shows certificates of its own authority: add your "
    "organization's certificate authority (or the instance's private one) to "
    "your system's trust store. Check that the address is the one on the certificate, and "
    "that the certificate has not expired.",
))  # fmt: skip
TIMEOUT = _t(QT_TRANSLATE_NOOP("CheckMessages", "No answer from {where} within {timeout} s."))
TIMEOUT_VIA = _t(QT_TRANSLATE_NOOP(
    "CheckMessages", "No answer from {where} through the proxy {proxy} within {timeout} s."
))  # fmt: skip
TIMEOUT_HINT = _t(QT_TRANSLATE_NOOP(
    "CheckMessages",
    "The server may be overloaded, or a firewall may drop the connection; check the "
    "address and try again later.",
))  # fmt: skip
HOST_NOT_FOUND = _t(QT_TRANSLATE_NOOP(
    "CheckMessages", "The host name {host} could not be found."
))  # fmt: skip
HOST_NOT_FOUND_HINT = _t(QT_TRANSLATE_NOOP(
    "CheckMessages", "Check the spelling of the address and your network connection."
))  # fmt: skip
REFUSED_CONNECTION = _t(QT_TRANSLATE_NOOP("CheckMessages", "Connection refused by {where}."))
REFUSED_LOCAL_HINT = _t(QT_TRANSLATE_NOOP(
    "CheckMessages",
    "Is your instance running? Start it (with the common compose file: "
    "'docker compose up -d') and check the port: 4007 for that file, 5000 inside "
    "the container, 3000 for a backend run from source.",
))  # fmt: skip
REFUSED_HINT = _t(QT_TRANSLATE_NOOP(
    "CheckMessages", "Check the port, that the server is up, and that no firewall blocks it."
))  # fmt: skip
CUT = _t(QT_TRANSLATE_NOOP(
    "CheckMessages", "The connection to {where} was cut before a full answer came back."
))  # fmt: skip
CUT_HINT = _t(QT_TRANSLATE_NOOP(
    "CheckMessages",
    "A proxy or firewall may be resetting the connection, or the server crashed; "
    "try again, and check the server if it is yours.",
))  # fmt: skip
CANNOT_CONNECT = _t(QT_TRANSLATE_NOOP("CheckMessages", "Cannot connect to {where}."))
CANNOT_CONNECT_BECAUSE = _t(QT_TRANSLATE_NOOP(
    "CheckMessages", "Cannot connect to {where}: {reason}."
))  # fmt: skip
CANNOT_CONNECT_HINT = _t(QT_TRANSLATE_NOOP(
    "CheckMessages", "Check the address, your network connection, and that the server is up."
))  # fmt: skip
UNDECODABLE = _t(QT_TRANSLATE_NOOP(
    "CheckMessages",
    "The answer from {where} could not be decoded: its Content-Encoding is broken "
    "or not one that was asked for (gzip, deflate).",
))  # fmt: skip
UNDECODABLE_HINT = _t(QT_TRANSLATE_NOOP(
    "CheckMessages",
    "A Sipstory server does not answer like this: check the base URL and any proxy "
    "in front of the server.",
))  # fmt: skip
CHECK_FAILED = _t(QT_TRANSLATE_NOOP("CheckMessages", "The check failed: {error}."))

# --- classify.py: the proxy -----------------------------------------------------------------

PROXY_FROM_ENVIRONMENT = _t(QT_TRANSLATE_NOOP("CheckMessages", "from the environment"))
PROXY_HINT = _t(QT_TRANSLATE_NOOP(
    "CheckMessages",
    "Check the proxy in {variable} (or ALL_PROXY); a host reached without the proxy "
    "belongs in NO_PROXY.",
))  # fmt: skip
PROXY_HINT_AFTER = _t(QT_TRANSLATE_NOOP(
    "CheckMessages",
    "{first} Check the proxy in {variable} (or ALL_PROXY); a host reached without the "
    "proxy belongs in NO_PROXY.",
))  # fmt: skip
PROXY_TLS = _t(QT_TRANSLATE_NOOP(
    "CheckMessages", "The TLS connection to the proxy {name} failed: {reason}."
))  # fmt: skip
PROXY_TLS_FIRST = _t(QT_TRANSLATE_NOOP(
    "CheckMessages", "The proxy's certificate must be signed by an authority your system trusts."
))  # fmt: skip
PROXY_TIMEOUT = _t(QT_TRANSLATE_NOOP(
    "CheckMessages", "No answer from the proxy {name} within {timeout} s."
))  # fmt: skip
PROXY_TUNNEL = _t(QT_TRANSLATE_NOOP(
    "CheckMessages", "The proxy {name} would not open a connection to {where} ({answer})."
))  # fmt: skip
PROXY_LOGIN_FIRST = _t(QT_TRANSLATE_NOOP(
    "CheckMessages",
    "The proxy asks for a login: its user name and password go in its URL "
    "(http://user:password@host:port), and were missing or refused.",
))  # fmt: skip
PROXY_UNREACHED_FIRST = _t(QT_TRANSLATE_NOOP(
    "CheckMessages", "The proxy could not reach {where}: check the address, and that it is up."
))  # fmt: skip
PROXY_RULES_FIRST = _t(QT_TRANSLATE_NOOP(
    "CheckMessages", "The proxy's rules may block this host: ask whoever runs the proxy."
))  # fmt: skip
PROXY_HOST_NOT_FOUND = _t(QT_TRANSLATE_NOOP(
    "CheckMessages", "Cannot connect to the proxy {name}: its host name could not be found."
))  # fmt: skip
PROXY_SOCKS = _t(QT_TRANSLATE_NOOP(
    "CheckMessages", "The proxy {name} is a SOCKS proxy, which this app cannot use."
))  # fmt: skip
PROXY_SOCKS_FIRST = _t(QT_TRANSLATE_NOOP(
    "CheckMessages", "Set an HTTP proxy instead, or list the host in NO_PROXY."
))  # fmt: skip
PROXY_INVALID = _t(QT_TRANSLATE_NOOP(
    "CheckMessages", "The proxy {name} is not a URL that can be used."
))  # fmt: skip
PROXY_CANNOT_CONNECT = _t(QT_TRANSLATE_NOOP("CheckMessages", "Cannot connect to the proxy {name}."))
PROXY_CANNOT_CONNECT_BECAUSE = _t(QT_TRANSLATE_NOOP(
    "CheckMessages", "Cannot connect to the proxy {name}: {reason}."
))  # fmt: skip

# --- classify.py: why TLS failed (a value in TLS_FAILED's {reason}) -------------------------

TLS_EXPIRED = _t(QT_TRANSLATE_NOOP("CheckMessages", "the certificate has expired"))
TLS_SELF_SIGNED = _t(QT_TRANSLATE_NOOP("CheckMessages", "the certificate is self-signed"))
TLS_OTHER_HOST = _t(QT_TRANSLATE_NOOP(
    "CheckMessages", "the certificate is for another host name"
))  # fmt: skip
TLS_UNTRUSTED = _t(QT_TRANSLATE_NOOP(
    "CheckMessages", "the certificate is not signed by an authority this computer trusts"
))  # fmt: skip
TLS_HANDSHAKE = _t(QT_TRANSLATE_NOOP("CheckMessages", "the handshake failed"))

# --- checker.py -----------------------------------------------------------------------------

NO_SECRET = _t(QT_TRANSLATE_NOOP("CheckMessages", "The keyring holds no key for this entry."))
NO_SECRET_HINT = _t(QT_TRANSLATE_NOOP(
    "CheckMessages",
    "It may have been deleted from the keyring by another program: store it again "
    "(sipstory-keys replace-key NAME; or Replace key in the window).",
))  # fmt: skip
NO_KEY_SAVED = _t(QT_TRANSLATE_NOOP("CheckMessages", "No key is saved for this entry yet."))
NO_KEY_SAVED_HINT = _t(QT_TRANSLATE_NOOP(
    "CheckMessages",
    "An imported entry comes without its key: add it with Replace key in the window "
    "(or sipstory-keys replace-key NAME).",
))  # fmt: skip

# --- budget.py ------------------------------------------------------------------------------

HELD_BACK = _t(QT_TRANSLATE_NOOP(
    "CheckMessages",
    "Not checked: the server said this organization has used up its requests for the "
    "hour (HTTP 429), so the check was held back to spare the organization's budget. "
    "It may run again at {clock} (in {minutes} min).",
))  # fmt: skip
HOLD_BACK_HINT = _t(QT_TRANSLATE_NOOP(
    "CheckMessages",
    "Wait until then, or force a check (sipstory-keys check --force; "
    "in the window, Test again and confirm).",
))  # fmt: skip
OVER_BUDGET = _t(QT_TRANSLATE_NOOP(
    "CheckMessages",
    "{names}: {used} of {limit} requests used in the last hour; "
    "{planned} more would go over the limit.",
))  # fmt: skip
OVER_SHARED_BUDGET = _t(QT_TRANSLATE_NOOP(
    "CheckMessages",
    "{names} (one organization): {used} of {limit} requests used in the last hour; "
    "{planned} more would go over the limit.",
))  # fmt: skip

# --- secrets.py: the keyring (a keyring error's message and hint) ---------------------------

THE_KEYRING = _t(QT_TRANSLATE_NOOP("CheckMessages", "The keyring"))  # a {provider} value
LOCKED = _t(QT_TRANSLATE_NOOP("CheckMessages", "{provider} is locked."))
CLOSED = _t(QT_TRANSLATE_NOOP(
    "CheckMessages", "{provider} has no database open (or shares none over the Secret Service)."
))  # fmt: skip
NO_COLLECTION = _t(QT_TRANSLATE_NOOP(
    "CheckMessages", "{provider} has no default keyring to keep keys in."
))  # fmt: skip
CLOSED_HINT = _t(QT_TRANSLATE_NOOP(
    "CheckMessages",
    "Open and unlock the database in KeePassXC, with its Secret Service integration "
    "on and a group shared (Database Settings), then check again. Your entries and "
    "keys are kept.",
))  # fmt: skip
NO_COLLECTION_HINT = _t(QT_TRANSLATE_NOOP(
    "CheckMessages",
    "Create or unlock its default keyring (for GNOME: Passwords and Keys), then "
    "check again; saving a key asks it to create one. Your entries are kept.",
))  # fmt: skip
LOCKED_HINT = _t(QT_TRANSLATE_NOOP(
    "CheckMessages",
    "Unlock it (the Unlock action asks it to show its prompt; 'sipstory-keys unlock' "
    "does the same), then check again. Your entries and keys are kept.",
))  # fmt: skip
NO_KEYRING_LINUX_HINT = _t(QT_TRANSLATE_NOOP(
    "CheckMessages",
    "Install and start a Secret Service provider (GNOME Keyring: "
    "'sudo apt install gnome-keyring'; or KeePassXC with its Secret Service "
    "integration) inside a desktop session. Without a desktop, run the command under "
    "'dbus-run-session' with gnome-keyring-daemon unlocked.",
))  # fmt: skip
NO_KEYRING_HINT = _t(QT_TRANSLATE_NOOP(
    "CheckMessages", "Check that your system keychain is available, then try again."
))  # fmt: skip
KEYRING_TIMEOUT = _t(QT_TRANSLATE_NOOP(
    "CheckMessages", "The keyring did not answer within {timeout} s."
))  # fmt: skip
KEYRING_TIMEOUT_HINT = _t(QT_TRANSLATE_NOOP(
    "CheckMessages", "An unlock prompt may be waiting on your screen; answer it and try again."
))  # fmt: skip
PROMPT_DISMISSED = _t(QT_TRANSLATE_NOOP(
    "CheckMessages", "The keyring's prompt was dismissed; the keys stay locked."
))  # fmt: skip
PROMPT_UNANSWERED = _t(QT_TRANSLATE_NOOP(
    "CheckMessages", "Nobody answered the keyring's prompt in time."
))  # fmt: skip
PROMPT_HINT = _t(QT_TRANSLATE_NOOP(
    "CheckMessages",
    "Check again and answer the prompt (allow Sipstory Desktop) to read the keys.",
))  # fmt: skip
NO_KEYRING = _t(QT_TRANSLATE_NOOP("CheckMessages", "No system keyring is available."))
KEYRING_LOCKED = _t(QT_TRANSLATE_NOOP("CheckMessages", "The keyring is locked."))
KEYRING_LOCKED_HINT = _t(QT_TRANSLATE_NOOP(
    "CheckMessages",
    "Unlock it (log in to your desktop again, or open your password manager) and retry.",
))  # fmt: skip
INIT_DISMISSED = _t(QT_TRANSLATE_NOOP(
    "CheckMessages",
    "The keyring asked to be unlocked or created and the prompt was dismissed.",
))  # fmt: skip
INIT_DISMISSED_HINT = _t(QT_TRANSLATE_NOOP(
    "CheckMessages",
    "Retry and answer the keyring's prompt; set a password for the keyring if asked.",
))  # fmt: skip
NOT_OPENED = _t(QT_TRANSLATE_NOOP("CheckMessages", "The keyring could not be opened ({error})."))
NO_REASON = _t(QT_TRANSLATE_NOOP("CheckMessages", "no reason given"))  # an {error} value
NOT_STORED = _t(QT_TRANSLATE_NOOP(
    "CheckMessages", "The keyring refused to store the key ({error})."
))  # fmt: skip
NOT_STORED_HINT = _t(QT_TRANSLATE_NOOP(
    "CheckMessages", "Check that the keyring is unlocked and writable, then try again."
))  # fmt: skip
NOT_DELETED = _t(QT_TRANSLATE_NOOP(
    "CheckMessages", "The keyring refused to delete the key ({error})."
))  # fmt: skip
NOT_DELETED_HINT = _t(QT_TRANSLATE_NOOP(
    "CheckMessages", "Check that the keyring is unlocked, then try again."
))  # fmt: skip
KEYRING_FAILED = _t(QT_TRANSLATE_NOOP(
    "CheckMessages", "The keyring failed while trying to {what} ({error})."
))  # fmt: skip
KEYRING_FAILED_HINT = _t(QT_TRANSLATE_NOOP(
    "CheckMessages", "Check that the keyring is running and unlocked, then try again."
))  # fmt: skip
# What the keyring was asked to do (a {what} value).
KEYRING_READ = _t(QT_TRANSLATE_NOOP("CheckMessages", "read"))
KEYRING_STORE = _t(QT_TRANSLATE_NOOP("CheckMessages", "store"))
KEYRING_DELETE = _t(QT_TRANSLATE_NOOP("CheckMessages", "delete"))
KEYRING_UNLOCK = _t(QT_TRANSLATE_NOOP("CheckMessages", "unlock"))
KEYRING_PROBE = _t(QT_TRANSLATE_NOOP("CheckMessages", "probe"))

# --- channels.py: the channel list (a fetch's result) ---------------------------------------

CHANNELS_NOTHING_AT = _t(QT_TRANSLATE_NOOP(
    "CheckMessages",
    "Nothing answers at {url} (HTTP 404): this URL is not a Sipstory API, or the server "
    "is too old to list channels.",
))  # fmt: skip
CHANNELS_HINT = _t(QT_TRANSLATE_NOOP(
    "CheckMessages",
    "Check that the base URL is a Sipstory API and that the server is up to date.",
))  # fmt: skip
CHANNELS_TOO_LARGE = _t(QT_TRANSLATE_NOOP(
    "CheckMessages",
    "The channel list is larger than {kb} KB and could not be read in full.",
))  # fmt: skip
CHANNELS_TOO_LARGE_HINT = _t(QT_TRANSLATE_NOOP(
    "CheckMessages", "Open the channels in Sipstory's web app instead."
))  # fmt: skip
CHANNELS_UNREADABLE = _t(QT_TRANSLATE_NOOP(
    "CheckMessages", "The server answered HTTP {status} with JSON that cannot be read."
))  # fmt: skip
CHANNELS_NOT_A_LIST = _t(QT_TRANSLATE_NOOP(
    "CheckMessages", "The server answered HTTP {status} with {shape}, not a list of channels."
))  # fmt: skip
JSON_OBJECT = _t(QT_TRANSLATE_NOOP("CheckMessages", "a JSON object ({keys})"))
JSON_EMPTY_OBJECT = _t(QT_TRANSLATE_NOOP("CheckMessages", "an empty JSON object"))
JSON_ARRAY = _t(QT_TRANSLATE_NOOP("CheckMessages", "a JSON array"))
JSON_NULL = _t(QT_TRANSLATE_NOOP("CheckMessages", "JSON null"))
JSON_BOOLEAN = _t(QT_TRANSLATE_NOOP("CheckMessages", "a JSON boolean"))
JSON_STRING = _t(QT_TRANSLATE_NOOP("CheckMessages", "a JSON string"))
JSON_NUMBER = _t(QT_TRANSLATE_NOOP("CheckMessages", "a JSON number"))
CHANNELS_LISTED_ONE = _t(QT_TRANSLATE_NOOP("CheckMessages", "The key works: 1 channel listed."))
CHANNELS_LISTED = _t(QT_TRANSLATE_NOOP(
    "CheckMessages", "The key works: {count} channels listed."
))  # fmt: skip
CHANNELS_SKIPPED = _t(QT_TRANSLATE_NOOP(
    "CheckMessages",
    "{listed} {skipped} item(s) of the answer could not be read and were skipped.",
))  # fmt: skip

# --- vault.py and urls.py: what saving an entry says (its notes, its errors) ----------------

INSECURE_KEYRING = _t(QT_TRANSLATE_NOOP(
    "CheckMessages", "The keyring in use, {name}, does not encrypt your keys."
))  # fmt: skip
SHARED_VAULT_NOTE = _t(QT_TRANSLATE_NOOP(
    "CheckMessages",
    "The keyring already held a key for '{name}' at this address (a shared "
    "vault); it now holds the key you entered.",
))  # fmt: skip
NAME_TAKEN_CHOOSE = _t(QT_TRANSLATE_NOOP(
    "CheckMessages", "An entry called '{name}' already exists; choose another name."
))  # fmt: skip
NAME_TAKEN = _t(QT_TRANSLATE_NOOP("CheckMessages", "An entry called '{name}' already exists."))
ENTRY_GONE = _t(QT_TRANSLATE_NOOP(
    "CheckMessages", "This entry no longer exists; it was removed elsewhere."
))  # fmt: skip
KEY_OF_AN_ENTRY = _t(QT_TRANSLATE_NOOP(
    "CheckMessages", "This key belongs to an entry; remove the entry instead."
))  # fmt: skip
PLAIN_HTTP = _t(QT_TRANSLATE_NOOP(
    "CheckMessages",
    "{host} is reached over plain http://: the key travels unencrypted. "
    "Use https:// unless this is a trusted private network.",
))  # fmt: skip

# --- keys.py, entries.py, urls.py: why a key, name or address cannot be saved ---------------

KEY_EMPTY = _t(QT_TRANSLATE_NOOP(
    "CheckMessages", "The key is empty: paste the key from Settings → Developers → API Key."
))  # fmt: skip
BEARER_REMOVED = _t(QT_TRANSLATE_NOOP(
    "CheckMessages",
    "Removed the 'Bearer ' prefix: Sipstory expects the raw key in the Authorization "
    "header and rejects 'Bearer <key>' as an invalid key.",
))  # fmt: skip
ONLY_BEARER = _t(QT_TRANSLATE_NOOP(
    "CheckMessages", "Only 'Bearer' was pasted, without the key after it."
))  # fmt: skip
KEY_SPACES = _t(QT_TRANSLATE_NOOP(
    "CheckMessages",
    "The key contains spaces or line breaks; a Sipstory key is one word. "
    "Check that only the key was copied.",
))  # fmt: skip
KEY_CONTROL = _t(QT_TRANSLATE_NOOP(
    "CheckMessages", "The key contains control characters; copy it again."
))  # fmt: skip
KEY_NOT_ASCII = _t(QT_TRANSLATE_NOOP(
    "CheckMessages",
    "The key contains characters outside plain ASCII; a Sipstory key has none. "
    "Copy it again from Settings → Developers → API Key.",
))  # fmt: skip
KEY_TOO_LONG = _t(QT_TRANSLATE_NOOP(
    "CheckMessages", "The key is {length} characters long, over {limit}."
))  # fmt: skip
NAME_EMPTY = _t(QT_TRANSLATE_NOOP("CheckMessages", "The name is empty."))
NAME_TOO_LONG = _t(QT_TRANSLATE_NOOP(
    "CheckMessages", "The name is longer than {limit} characters."
))  # fmt: skip
NAME_CONTROL = _t(QT_TRANSLATE_NOOP("CheckMessages", "The name contains control characters."))
BASE_URL = _t(QT_TRANSLATE_NOOP("CheckMessages", "base URL"))  # a {what} value
INSTANCE_ADDRESS = _t(QT_TRANSLATE_NOOP("CheckMessages", "instance address"))  # a {what} value
URL_EMPTY = _t(QT_TRANSLATE_NOOP("CheckMessages", "The {what} is empty."))
URL_SPACES = _t(QT_TRANSLATE_NOOP("CheckMessages", "The {what} contains spaces; a URL has none."))
URL_CONTROL = _t(QT_TRANSLATE_NOOP("CheckMessages", "The {what} contains control characters."))
URL_INVALID = _t(QT_TRANSLATE_NOOP("CheckMessages", "The {what} is not a valid URL ({error})."))
URL_SCHEME = _t(QT_TRANSLATE_NOOP(
    "CheckMessages",
    "The {what} uses '{scheme}://'; only https:// (or http:// for a local server) is supported.",
))  # fmt: skip
URL_LOGIN = _t(QT_TRANSLATE_NOOP(
    "CheckMessages",
    "The {what} contains a user name or password (user:password@); "
    "remove it: the API key is the only credential.",
))  # fmt: skip
URL_QUERY = _t(QT_TRANSLATE_NOOP(
    "CheckMessages", "The {what} has a query (?...); a base URL has none."
))  # fmt: skip
URL_FRAGMENT = _t(QT_TRANSLATE_NOOP(
    "CheckMessages", "The {what} has a fragment (#...); a base URL has none."
))  # fmt: skip
URL_NO_HOST = _t(QT_TRANSLATE_NOOP("CheckMessages", "The {what} has no host name."))
HOST_INVALID = _t(QT_TRANSLATE_NOOP("CheckMessages", "The host name '{host}' is not valid."))
ADDRESS_EMPTY = _t(QT_TRANSLATE_NOOP("CheckMessages", "The address is empty."))
URL_NO_SCHEME = _t(QT_TRANSLATE_NOOP(
    "CheckMessages",
    "The base URL needs a scheme: start it with https:// (or http:// for a local server).",
))  # fmt: skip

# --- config.py: a damaged config file, set aside (a notice) ---------------------------------

CONFIG_LOST = _t(QT_TRANSLATE_NOOP(
    "CheckMessages",
    "The config file was damaged ({reason}) and had no usable backup. It was kept as "
    "{aside} and the list starts empty; re-add your entries (their keys are still in the "
    "keyring).",
))  # fmt: skip
CONFIG_RESTORED = _t(QT_TRANSLATE_NOOP(
    "CheckMessages",
    "The config file was damaged ({reason}). It was kept as {aside} and the previous "
    "version restored from the backup ({count} entries); the last change may be missing.",
))  # fmt: skip
