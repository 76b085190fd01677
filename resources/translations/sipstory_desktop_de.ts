<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de">
<context>
    <name>BackgroundOp</name>
    <message>
        <source>Something went wrong</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Banner</name>
    <message>
        <source>&amp;Retry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChannelsDialog</name>
    <message>
        <source>Channels of {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fetch failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Fetch channels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fetch channels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Uses one of the organization&apos;s 30 requests per hour.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ask the server for the channels with this entry&apos;s key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Press Fetch channels to list the channels this key can post to.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This organization has no channels yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fetching…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Channels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Platform</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Channel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 channel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} channels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} disabled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disabled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not fetched yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fetched {ago} ({when})</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CheckController</name>
    <message>
        <source>Nothing to check yet: add a key first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%d key(s) held back after a 429 Too Many Requests: no request sent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check “%s” anyway?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sipstory answered 429 Too Many Requests for this key&apos;s organization and asked to wait until %s (in %d min). A check now may cost one of its 30 requests this hour and prolong the wait.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check anyway?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check all?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking every key now would go over Sipstory&apos;s limit of 30 requests per hour for some organizations:

%s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check all anyway?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking… %d of %d done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checked “%s”: %s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%d working</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%d failing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%d rate limited</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checked %d keys: %s</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DesktopServices</name>
    <message>
        <source>This desktop has no system tray for app icons (no StatusNotifier watcher on the session bus; on GNOME, the AppIndicator extension adds one).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This desktop&apos;s system tray is not shown right now (no StatusNotifier host is registered on the session bus).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no D-Bus session bus, so there is no system tray either.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This desktop has no system tray.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DetailsPane</name>
    <message>
        <source>Details of the selected key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recent results</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Base URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HTTP status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Latency</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rate budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stored in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Check</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>E&amp;dit…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;place key…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cop&amp;y key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;veal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;move…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;hannels…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find API &amp;URL…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy as cur&amp;l</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use in a &amp;terminal…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not checked yet. Press Test (Ctrl+T) to check this key; each check may count against the organization&apos;s 30 requests per hour.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%s ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>never</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No key selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a key in the list to see its details.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%s since %s</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EmptyState</name>
    <message>
        <source>Keep your Sipstory API keys safe, and know they work</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;p&gt;An &lt;b&gt;API key&lt;/b&gt; lets scripts and tools act for one Sipstory organization. Each organization has its own key, on Sipstory Cloud or on your own instance.&lt;/p&gt;&lt;p&gt;Find yours in Sipstory under &lt;b&gt;Settings → Developers → API Key&lt;/b&gt;. Sipstory Desktop keeps it in your system&apos;s keyring, never in a plain file, and checks at one click that it still works.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Add a key…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Try the &amp;demo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Try the demo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opens a second window on a local demo server with sample keys; your own keys and settings are not touched.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EntryCommands</name>
    <message>
        <source>Remove “%s”?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove “%s” (%s) and delete its key from the keyring?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The key itself stays valid in Sipstory until you rotate it there.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Removed “%s” and deleted its key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not remove the entry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%s” now uses %s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not change the entry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved, with a note.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved “%s”.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EntryDialog</name>
    <message>
        <source>&amp;New key:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Key:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replace the key of {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only the key changes: the entry and its check history are kept. After a rotation in Sipstory (Settings → Developers → API Key), the old key stops working at once.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Base URL:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Current key:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{masked} (unchanged: use Replace key to change it)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Check before saving</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check before saving</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send one request to the server with this key. It may count as one of the 30 requests per hour that Sipstory allows.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replace key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EntryListView</name>
    <message>
        <source>Saved keys</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EntryModel</name>
    <message>
        <source>Check</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%d of %d working</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Instance / path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last checked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Latency</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>History</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n key(s) on %s</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>%s · again at %s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%s; worst: %s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Press Ctrl+T, or the details&apos; Check button, to check the selected key now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%d of the last %d results working</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No results yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last %d results: %s; %s since %s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sipstory Cloud</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checks sent with this key in the last hour; Sipstory allows %d requests per hour per organization.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check this key now (Ctrl+T)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EnvImportDialog</name>
    <message>
        <source>Import keys from .env files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checked %d key(s).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keys found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File and line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Base URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved as</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%d other *_API_KEY line(s) left alone: not Sipstory&apos;s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No Sipstory keys were found in these files.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Scrub the files afterwards (a backup of each is kept, mode 0600)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Each key line becomes a comment that holds no key and says how to use sipstory-keys run instead. A file changed since it was read is left alone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;heck selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Import</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keys are shown masked. Saving one puts it in the keyring: as a new entry, or as the key of an entry that has none.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>new entry “%s”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>key of “%s” (it has none)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>already saved as “%s”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking %d key(s)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FilterField</name>
    <message>
        <source>Filter (Ctrl+F)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter the keys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear the filter</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FindUrlDialog</name>
    <message>
        <source>Find the API URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tries the usual API addresses of a self-hosted Sipstory. The probes send no key: a Sipstory API is recognised without one, so your key never reaches a wrong server and no request counts against the hourly limit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Instance address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Address:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Search again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Use this URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use this URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The entry uses {url} now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Addresses tried</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Base URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Detail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trying {n} addresses…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (current)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No details yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sipstory answers at {url}, the base URL the entry uses already.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sipstory answers at {url}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sipstory answers at none of the {n} addresses tried ({why}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Is the instance running, and reachable from this computer (VPN, firewall)?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On this computer Sipstory usually listens on port 4007 (the common compose file), 5000 (inside its container) or 3000 (a backend run from source): all were tried. For another port, add it to the address: localhost:8080.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>If Sipstory is served on another port or under a path, include it: sipstory.example.com:8443 or example.com/sipstory.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A web page answered where the API should be: the reverse proxy sends the API&apos;s path to the web app instead of the backend.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The certificate was not accepted. A private certificate authority must be trusted by this computer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server redirects: search again with the address it points to.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check the address for typos, and whether it needs https:// or http://.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sipstory API</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Web app</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Redirect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unreachable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Timed out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TLS error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Other answer</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <source>Import entries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} added</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} added under a new name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} replaced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} skipped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} already there</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Imported: {parts}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>These entries have no key yet: {names}. Select each one and use Replace key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 conflict</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} conflicts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{new} new, {same} already there, {conflicts}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Entries in the file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Entry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keys are not part of an export. Each entry this import adds arrives without its key: select it afterwards and use Replace key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>S&amp;kip all conflicts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Skip all conflicts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Import</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Already there</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Conflict</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What to do with {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Skip: keep the saved entry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rename to “{name}”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replace the saved entry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Base URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sipstory Cloud</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Self-hosted instance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Custom base URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(none)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field}: {old} → {new}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every entry in this file is already here: there is nothing to import.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose what to do with the conflict.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose what to do with {n} conflicts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Importing…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>KeyCommands</name>
    <message>
        <source>The key was cleared from the clipboard.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The key is still on the clipboard: on Wayland only the app in front may clear it. It will be cleared when you come back to Sipstory Desktop.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A curl command with the key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An environment line with the key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No key stored</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The keyring holds no key for “%s”. Use Replace key to store it again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not read the key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%s copied. It will be cleared from the clipboard in 30 s.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>KeySection</name>
    <message>
        <source>API key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paste the API key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find your key in Sipstory: Settings → Developers → API Key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The &apos;Bearer &apos; prefix will be removed: Sipstory expects the raw key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hide the key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the key</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>KeyringStatus</name>
    <message>
        <source>Looking for the keyring…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Which keyring holds the keys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Looking for the keyring</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keyring: encrypted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keyring: NOT encrypted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>secure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NOT encrypted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keys in %s (%s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your keys are stored without encryption.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The keyring in use, %s, keeps keys in a plain file. Install a system keyring (GNOME Keyring, KWallet) and restart.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No keyring</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No system keyring is available.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The keyring could not be opened.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your entries are listed, but keys cannot be stored, read or checked until then.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ListLoader</name>
    <message>
        <source>Your config was repaired.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The config cannot be read.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source> — Demo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finishing the running checks…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>NameSection</name>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. Acme Corp (production)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is already a key called “{name}”.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>NoteSection</name>
    <message>
        <source>Note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Optional: whose key this is, what it is for…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>N&amp;ote:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The note is longer than {count} characters.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OrphansDialog</name>
    <message>
        <source>Orphaned keys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An orphaned key is one this app stored in the keyring that no entry uses. It is left behind when adding or removing an entry is interrupted, or when an entry is removed while the keyring is locked. Deleting it changes no entry.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Delete from keyring</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete from keyring</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Keys that no entry uses:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing to clean: every key this app stored belongs to an entry.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deleted 1 key from the keyring.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deleted {n} keys from the keyring.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing is left to clean.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deleting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete orphaned keys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete 1 orphaned key from the keyring?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete {n} orphaned keys from the keyring?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No entry uses them. A deleted key cannot be recovered from the keyring.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ResultPanel</name>
    <message>
        <source>Check result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You changed the address or the key after this test started.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ServerSection</name>
    <message>
        <source>Sipstory C&amp;loud</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sipstory Cloud</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Self-hosted instance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Self-hosted instance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Custom base &amp;URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Custom base URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Instance address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Address:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>URL:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Find API URL…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find the API URL of this address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Try the likely API addresses of this instance (sends no key) and use the one that answers like Sipstory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Base URL: {url}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter your server&apos;s address, e.g. sipstory.example.com or http://localhost:4007.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the full API base URL, e.g. http://localhost:3000/public/v1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StatusTexts</name>
    <message>
        <source>Connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rate limited</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Invalid key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No subscription</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not the API</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Redirected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unreachable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Timed out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TLS error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unexpected answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No key stored</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keyring error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not checked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>green</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>amber</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>red</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>grey</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>never</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>just now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 min ago</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 h ago</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 d ago</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TerminalCommands</name>
    <message>
        <source>Import keys from .env files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>dotenv files (.env .env.* *.env)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not read the files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved %d key(s) in the keyring.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scrubbed %s (its old version is in %s, mode 0600).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TerminalUseDialog</name>
    <message>
        <source>Use “%s” in a terminal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run a command with the key in its environment:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set SIPSTORY_API_KEY and SIPSTORY_API_URL in this shell (sh, zsh):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The same in fish:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In a project&apos;s .envrc (direnv), so that commands there use this entry:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy: %s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None of these lines holds the key: each asks sipstory-keys for it from the keyring when it runs. Replace COMMAND with your own. sipstory-keys run --mask hides the key in the command&apos;s output (the default when it is not a terminal).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ToolCommands</name>
    <message>
        <source>The keyring holds no key for this entry.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use Replace key to store it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Try again; if it happens again, please report it with the log.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export entries (without keys)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JSON files (*.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exported the entries, without their keys, to %s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import entries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JSON files (*.json);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not read the export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Imported entries have no key yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select each of them and use Replace key: %s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not read the keyring</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About %s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h3&gt;%s %s&lt;/h3&gt;&lt;p&gt;Keep your Sipstory API keys in the system keyring and see at a glance which ones work.&lt;/p&gt;&lt;p&gt;Application id: %s&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tray</name>
    <message>
        <source>&amp;Show Sipstory Desktop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Check all now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WatchDialog</name>
    <message>
        <source>Watch keys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Check every key periodically</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Minutes between rounds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> per hour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checks per key per hour at most</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Notify me when a key changes colour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Each check may cost one of the organization&apos;s 30 requests per hour. A round skips every key that has already used its budget in the last hour, checks made by hand included.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check &amp;every:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>At &amp;most:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Watching still works while the window is open. Closing the window while watching minimises it the first time; closing it again quits.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WatchMode</name>
    <message>
        <source>Watching: every %d min, at most %d checks per key per hour.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No tray here: watching runs while the window is open.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%s: %d of %d keys working</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Still watching your keys from the tray. Quit from its menu.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Minimised to keep watching your keys: %s Close the window again to quit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The system tray went away: the window is back, still watching.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WindowActions</name>
    <message>
        <source>&amp;Add key…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check &amp;all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check every key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Check</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check the selected key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rename the entry or change its server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;place key…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Store a new key after a rotation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Remove…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove the entry and delete its key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cop&amp;y key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the key; cleared from the clipboard after 30 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;veal key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the key for 10 seconds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy as c&amp;url</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy a curl command that checks this key (cleared after 30 s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy as e&amp;nvironment line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy SIPSTORY_API_URL and SIPSTORY_API_KEY (cleared after 30 s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use in a &amp;terminal…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The lines that use this key from a shell, a script or CI (no key in them)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;hannels…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The channels this key&apos;s organization can post to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Find API URL…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Try the likely API addresses of this entry&apos;s instance (sends no key)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Export entries…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the entries, without their keys, to a file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Import entries…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add entries from an export, with a preview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import &amp;keys from .env files…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move Sipstory keys written in .env files into the keyring</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clean up &amp;orphaned keys…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keys of this app in the keyring that no entry uses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter the list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quit after the running checks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Watch…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check keys periodically</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About Sipstory Desktop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Keys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Main</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>More tools</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
