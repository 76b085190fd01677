<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de">
<context>
    <name>BackgroundOp</name>
    <message>
        <source>Something went wrong</source>
        <translation>Etwas ist schiefgegangen</translation>
    </message>
</context>
<context>
    <name>Banner</name>
    <message>
        <source>&amp;Retry</source>
        <translation>&amp;Erneut versuchen</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Erneut versuchen</translation>
    </message>
    <message>
        <source>&amp;Unlock</source>
        <translation>&amp;Entsperren</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>Entsperren</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Ausblenden</translation>
    </message>
</context>
<context>
    <name>ChannelsDialog</name>
    <message>
        <source>Channels of {name}</source>
        <translation>Kanäle von {name}</translation>
    </message>
    <message>
        <source>Fetch failed</source>
        <translation>Abruf fehlgeschlagen</translation>
    </message>
    <message>
        <source>&amp;Fetch channels</source>
        <translation>Kanäle &amp;abrufen</translation>
    </message>
    <message>
        <source>Fetch channels</source>
        <translation>Kanäle abrufen</translation>
    </message>
    <message>
        <source>Uses one of the organization&apos;s 30 requests per hour.</source>
        <translation>Verbraucht eine der 30 Anfragen pro Stunde der Organisation.</translation>
    </message>
    <message>
        <source>Ask the server for the channels with this entry&apos;s key.</source>
        <translation>Den Server mit dem Schlüssel dieses Eintrags nach den Kanälen fragen.</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Press Fetch channels to list the channels this key can post to.</source>
        <translation>Drücken Sie „Kanäle abrufen“, um die Kanäle aufzulisten, in denen dieser Schlüssel veröffentlichen kann.</translation>
    </message>
    <message>
        <source>This organization has no channels yet.</source>
        <translation>Diese Organisation hat noch keine Kanäle.</translation>
    </message>
    <message>
        <source>Fetching…</source>
        <translation>Wird abgerufen…</translation>
    </message>
    <message>
        <source>Channels</source>
        <translation>Kanäle</translation>
    </message>
    <message>
        <source>Platform</source>
        <translation>Plattform</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>Kanal</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>Profil</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Kunde</translation>
    </message>
    <message>
        <source>1 channel</source>
        <translation>1 Kanal</translation>
    </message>
    <message>
        <source>{n} channels</source>
        <translation>{n} Kanäle</translation>
    </message>
    <message>
        <source>{n} disabled</source>
        <translation>{n} deaktiviert</translation>
    </message>
    <message>
        <source>Disabled</source>
        <translation>Deaktiviert</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Aktiv</translation>
    </message>
    <message>
        <source>Not fetched yet</source>
        <translation>Noch nicht abgerufen</translation>
    </message>
    <message>
        <source>Fetched {ago} ({when})</source>
        <translation>Abgerufen {ago} ({when})</translation>
    </message>
</context>
<context>
    <name>CheckController</name>
    <message>
        <source>Nothing to check yet: add a key first.</source>
        <translation>Noch nichts zu prüfen: Fügen Sie zuerst einen Schlüssel hinzu.</translation>
    </message>
    <message numerus="yes">
        <source>Stopping: %n check(s) not sent, waiting for %s on their way…</source>
        <translation>
            <numerusform>Wird angehalten: %n Prüfung nicht gesendet, warte auf %s laufende…</numerusform>
            <numerusform>Wird angehalten: %n Prüfungen nicht gesendet, warte auf %s laufende…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n key(s) held back after a 429 Too Many Requests: no request sent.</source>
        <translation>
            <numerusform>%n Schlüssel nach 429 Too Many Requests zurückgehalten: keine Anfrage gesendet.</numerusform>
            <numerusform>%n Schlüssel nach 429 Too Many Requests zurückgehalten: keine Anfrage gesendet.</numerusform>
        </translation>
    </message>
    <message>
        <source>Check “%s” anyway?</source>
        <translation>„%s“ trotzdem prüfen?</translation>
    </message>
    <message>
        <source>Sipstory answered 429 Too Many Requests for this key&apos;s organization and asked to wait until %s (in %d min). A check now may cost one of its 30 requests this hour and prolong the wait.</source>
        <translation>Sipstory antwortete für die Organisation dieses Schlüssels mit 429 Too Many Requests und bat, bis %s zu warten (in %d Min.). Eine Prüfung jetzt kann eine ihrer 30 Anfragen dieser Stunde kosten und die Wartezeit verlängern.</translation>
    </message>
    <message>
        <source>Check anyway?</source>
        <translation>Trotzdem prüfen?</translation>
    </message>
    <message>
        <source>Check all?</source>
        <translation>Alle prüfen?</translation>
    </message>
    <message>
        <source>Checking every key now would go over Sipstory&apos;s limit of 30 requests per hour for some organizations:

%s</source>
        <translation>Alle Schlüssel jetzt zu prüfen, würde für einige Organisationen Sipstorys Grenze von 30 Anfragen pro Stunde überschreiten:

%s</translation>
    </message>
    <message>
        <source>Check all anyway?</source>
        <translation>Trotzdem alle prüfen?</translation>
    </message>
    <message>
        <source>Checking… %d of %d done</source>
        <translation>Wird geprüft… %d von %d fertig</translation>
    </message>
    <message numerus="yes">
        <source>Stopped: %n key(s) not checked</source>
        <translation>
            <numerusform>Angehalten: %n Schlüssel nicht geprüft</numerusform>
            <numerusform>Angehalten: %n Schlüssel nicht geprüft</numerusform>
        </translation>
    </message>
    <message>
        <source>Checked “%s”: %s</source>
        <translation>„%s“ geprüft: %s</translation>
    </message>
    <message>
        <source>%d working</source>
        <translation>%d funktionsfähig</translation>
    </message>
    <message>
        <source>%d failing</source>
        <translation>%d fehlerhaft</translation>
    </message>
    <message>
        <source>%d rate limited</source>
        <translation>%d gedrosselt</translation>
    </message>
    <message>
        <source>Checked %d keys: %s</source>
        <translation>%d Schlüssel geprüft: %s</translation>
    </message>
</context>
<context>
    <name>CheckMessages</name>
    <message>
        <source>The server redirects to {target} (HTTP {status}); the key was not sent there.</source>
        <translation>Der Server leitet nach {target} um (HTTP {status}); der Schlüssel wurde nicht dorthin gesendet.</translation>
    </message>
    <message>
        <source>The server redirects to an address it did not give (HTTP {status}); the key was not sent there.</source>
        <translation>Der Server leitet an eine Adresse um, die er nicht nennt (HTTP {status}); der Schlüssel wurde nicht dorthin gesendet.</translation>
    </message>
    <message>
        <source>Sipstory Desktop never follows a redirect with your key. If you trust the new address, use it as the base URL (often http:// → https://, or a missing /api).</source>
        <translation>Sipstory Desktop folgt einer Umleitung nie mit Ihrem Schlüssel. Wenn Sie der neuen Adresse vertrauen, verwenden Sie sie als Basis-URL (oft http:// → https:// oder ein fehlendes /api).</translation>
    </message>
    <message>
        <source>The key is valid, but the organization has used up its requests for this hour ({limit}/{limit} used; HTTP 429). The limit resets within the hour.</source>
        <translation>Der Schlüssel ist gültig, aber die Organisation hat ihre Anfragen für diese Stunde verbraucht ({limit}/{limit} verbraucht; HTTP 429). Die Grenze wird innerhalb der Stunde zurückgesetzt.</translation>
    </message>
    <message>
        <source>The key is valid, but the organization has used up its requests for this hour ({limit}/{limit} used; HTTP 429). It may be checked again in {minutes} min, at {clock}.</source>
        <translation>Der Schlüssel ist gültig, aber die Organisation hat ihre Anfragen für diese Stunde verbraucht ({limit}/{limit} verbraucht; HTTP 429). Er kann in {minutes} Min. wieder geprüft werden, um {clock}.</translation>
    </message>
    <message>
        <source>Wait until then. Each check may count against the organization&apos;s {limit} requests per hour, so avoid checking again and again.</source>
        <translation>Warten Sie bis dahin. Jede Prüfung kann auf die {limit} Anfragen pro Stunde der Organisation angerechnet werden; prüfen Sie also nicht wieder und wieder.</translation>
    </message>
    <message>
        <source>The key is valid, but its organization has no subscription.</source>
        <translation>Der Schlüssel ist gültig, aber seine Organisation hat kein Abonnement.</translation>
    </message>
    <message>
        <source>Start or renew the organization&apos;s subscription in Sipstory&apos;s billing settings; the key itself is fine.</source>
        <translation>Starten oder erneuern Sie das Abonnement der Organisation in den Abrechnungseinstellungen von Sipstory; der Schlüssel selbst ist in Ordnung.</translation>
    </message>
    <message>
        <source>The server received no key (No API Key found).</source>
        <translation>Der Server hat keinen Schlüssel erhalten (No API Key found).</translation>
    </message>
    <message>
        <source>A proxy in front of the server may strip the Authorization header: check its configuration.</source>
        <translation>Ein Proxy vor dem Server entfernt vielleicht den Authorization-Header: Prüfen Sie seine Konfiguration.</translation>
    </message>
    <message>
        <source>The server rejected the key: Invalid API key.</source>
        <translation>Der Server hat den Schlüssel abgelehnt: Invalid API key.</translation>
    </message>
    <message>
        <source>A key stops working at once when it is rotated in Settings → Developers → API Key. Copy the current key from there and replace the one saved here.</source>
        <translation>Ein Schlüssel funktioniert sofort nicht mehr, wenn er unter Settings → Developers → API Key rotiert wird. Kopieren Sie dort den aktuellen Schlüssel und ersetzen Sie den hier gespeicherten.</translation>
    </message>
    <message>
        <source>The server rejected the key without a reason (HTTP {status}); its key lookup may have failed.</source>
        <translation>Der Server hat den Schlüssel ohne Begründung abgelehnt (HTTP {status}); vielleicht ist seine Schlüsselsuche fehlgeschlagen.</translation>
    </message>
    <message>
        <source>Try again in a moment. If it persists, copy the key again from Settings → Developers → API Key.</source>
        <translation>Versuchen Sie es gleich noch einmal. Wenn es so bleibt, kopieren Sie den Schlüssel erneut aus Settings → Developers → API Key.</translation>
    </message>
    <message>
        <source>The server refused the key (HTTP {status}).</source>
        <translation>Der Server hat den Schlüssel zurückgewiesen (HTTP {status}).</translation>
    </message>
    <message>
        <source>The server refused the key (HTTP {status}): {said}.</source>
        <translation>Der Server hat den Schlüssel zurückgewiesen (HTTP {status}): {said}.</translation>
    </message>
    <message>
        <source>The server failed with HTTP {status}.</source>
        <translation>Der Server ist mit HTTP {status} gescheitert.</translation>
    </message>
    <message>
        <source>The fault is on the server&apos;s side, not your key: try again later, or look at the instance&apos;s logs if it is yours.</source>
        <translation>Der Fehler liegt beim Server, nicht bei Ihrem Schlüssel: Versuchen Sie es später erneut, oder sehen Sie in die Protokolle der Instanz, wenn es Ihre ist.</translation>
    </message>
    <message>
        <source>The server answered HTTP {status} with more than {kib} KiB of {content_type}; the rest was not read. A Sipstory API answers {{&quot;connected&quot;: true}}, a few bytes.</source>
        <translation>Der Server antwortete HTTP {status} mit mehr als {kib} KiB {content_type}; der Rest wurde nicht gelesen. Eine Sipstory-API antwortet {{&quot;connected&quot;: true}}, ein paar Bytes.</translation>
    </message>
    <message>
        <source>Check the base URL, and that the server really is Sipstory.</source>
        <translation>Prüfen Sie die Basis-URL und ob der Server wirklich Sipstory ist.</translation>
    </message>
    <message>
        <source>The server answered HTTP {status} with {kind}, not JSON: this URL is not a Sipstory API.</source>
        <translation>Der Server antwortete HTTP {status} mit {kind}, nicht mit JSON: Diese URL ist keine Sipstory-API.</translation>
    </message>
    <message>
        <source>no content type</source>
        <translation>keinem Inhaltstyp</translation>
    </message>
    <message>
        <source>The key works: the server confirmed the connection.</source>
        <translation>Der Schlüssel funktioniert: Der Server hat die Verbindung bestätigt.</translation>
    </message>
    <message>
        <source>The server answered HTTP {status} but did not confirm the connection: {shown}</source>
        <translation>Der Server antwortete HTTP {status}, hat die Verbindung aber nicht bestätigt: {shown}</translation>
    </message>
    <message>
        <source>A Sipstory API answers {{&quot;connected&quot;: true}}. Check the base URL, and that the server really is Sipstory.</source>
        <translation>Eine Sipstory-API antwortet {{&quot;connected&quot;: true}}. Prüfen Sie die Basis-URL und ob der Server wirklich Sipstory ist.</translation>
    </message>
    <message>
        <source>The server asks for payment: check the organization&apos;s billing in Sipstory.</source>
        <translation>Der Server verlangt eine Zahlung: Prüfen Sie die Abrechnung der Organisation in Sipstory.</translation>
    </message>
    <message>
        <source>Check the base URL and the server&apos;s version; this is not a Sipstory answer.</source>
        <translation>Prüfen Sie die Basis-URL und die Version des Servers; das ist keine Antwort von Sipstory.</translation>
    </message>
    <message>
        <source>Unexpected answer: HTTP {status}.</source>
        <translation>Unerwartete Antwort: HTTP {status}.</translation>
    </message>
    <message>
        <source>Unexpected answer: HTTP {status}: {said}.</source>
        <translation>Unerwartete Antwort: HTTP {status}: {said}.</translation>
    </message>
    <message>
        <source>Try {suggestion} as the base URL (a self-hosted API lives under /api/public/v1).</source>
        <translation>Versuchen Sie {suggestion} als Basis-URL (eine selbst gehostete API liegt unter /api/public/v1).</translation>
    </message>
    <message>
        <source>Check the base URL: Sipstory Cloud is https://api.sipstory.tech/public/v1, a self-hosted instance https://your-domain/api/public/v1.</source>
        <translation>Prüfen Sie die Basis-URL: Sipstory Cloud ist https://api.sipstory.tech/public/v1, eine selbst gehostete Instanz https://your-domain/api/public/v1.</translation>
    </message>
    <message>
        <source>Nothing answers at {url}/is-connected (HTTP 404): this URL is not a Sipstory API.</source>
        <translation>Unter {url}/is-connected antwortet nichts (HTTP 404): Diese URL ist keine Sipstory-API.</translation>
    </message>
    <message>
        <source>This is the web app, not the API: the server answered with a web page.</source>
        <translation>Das ist die Web-App, nicht die API: Der Server antwortete mit einer Webseite.</translation>
    </message>
    <message>
        <source>The answer (HTTP {status}) could not be read: {error}.</source>
        <translation>Die Antwort (HTTP {status}) konnte nicht gelesen werden: {error}.</translation>
    </message>
    <message>
        <source>Check the base URL; if this persists, report it with the app&apos;s log.</source>
        <translation>Prüfen Sie die Basis-URL; wenn es so bleibt, melden Sie es mit dem Protokoll der App.</translation>
    </message>
    <message>
        <source>The TLS connection to {host} failed: {reason}.</source>
        <translation>Die TLS-Verbindung zu {host} ist gescheitert: {reason}.</translation>
    </message>
    <message>
        <source>The TLS connection to {host} through the proxy {proxy} failed: {reason}.</source>
        <translation>Die TLS-Verbindung zu {host} über den Proxy {proxy} ist gescheitert: {reason}.</translation>
    </message>
    <message>
        <source>If the instance uses a private certificate authority, add it to your system&apos;s trust store. Check that the address is the one on the certificate, and that the certificate has not expired.</source>
        <translation>Wenn die Instanz eine private Zertifizierungsstelle verwendet, fügen Sie diese dem Zertifikatspeicher Ihres Systems hinzu. Prüfen Sie, ob die Adresse die im Zertifikat ist und ob das Zertifikat nicht abgelaufen ist.</translation>
    </message>
    <message>
        <source>A proxy that inspects TLS shows certificates of its own authority: add your organization&apos;s certificate authority (or the instance&apos;s private one) to your system&apos;s trust store. Check that the address is the one on the certificate, and that the certificate has not expired.</source>
        <translation>Ein Proxy, der TLS untersucht, zeigt Zertifikate seiner eigenen Stelle: Fügen Sie die Zertifizierungsstelle Ihrer Organisation (oder die private der Instanz) dem Zertifikatspeicher Ihres Systems hinzu. Prüfen Sie, ob die Adresse die im Zertifikat ist und ob das Zertifikat nicht abgelaufen ist.</translation>
    </message>
    <message>
        <source>No answer from {where} within {timeout} s.</source>
        <translation>Keine Antwort von {where} innerhalb von {timeout} s.</translation>
    </message>
    <message>
        <source>No answer from {where} through the proxy {proxy} within {timeout} s.</source>
        <translation>Keine Antwort von {where} über den Proxy {proxy} innerhalb von {timeout} s.</translation>
    </message>
    <message>
        <source>The server may be overloaded, or a firewall may drop the connection; check the address and try again later.</source>
        <translation>Der Server ist vielleicht überlastet, oder eine Firewall verwirft die Verbindung; prüfen Sie die Adresse und versuchen Sie es später erneut.</translation>
    </message>
    <message>
        <source>The host name {host} could not be found.</source>
        <translation>Der Hostname {host} wurde nicht gefunden.</translation>
    </message>
    <message>
        <source>Check the spelling of the address and your network connection.</source>
        <translation>Prüfen Sie die Schreibweise der Adresse und Ihre Netzwerkverbindung.</translation>
    </message>
    <message>
        <source>Connection refused by {where}.</source>
        <translation>Verbindung von {where} abgelehnt.</translation>
    </message>
    <message>
        <source>Is your instance running? Start it (with the common compose file: &apos;docker compose up -d&apos;) and check the port: 4007 for that file, 5000 inside the container, 3000 for a backend run from source.</source>
        <translation>Läuft Ihre Instanz? Starten Sie sie (mit der üblichen Compose-Datei: &apos;docker compose up -d&apos;) und prüfen Sie den Port: 4007 bei dieser Datei, 5000 im Container, 3000 für ein aus dem Quellcode gestartetes Backend.</translation>
    </message>
    <message>
        <source>Check the port, that the server is up, and that no firewall blocks it.</source>
        <translation>Prüfen Sie den Port, ob der Server läuft und ob keine Firewall ihn blockiert.</translation>
    </message>
    <message>
        <source>The connection to {where} was cut before a full answer came back.</source>
        <translation>Die Verbindung zu {where} wurde getrennt, bevor eine vollständige Antwort kam.</translation>
    </message>
    <message>
        <source>A proxy or firewall may be resetting the connection, or the server crashed; try again, and check the server if it is yours.</source>
        <translation>Vielleicht setzt ein Proxy oder eine Firewall die Verbindung zurück, oder der Server ist abgestürzt; versuchen Sie es erneut und prüfen Sie den Server, wenn es Ihrer ist.</translation>
    </message>
    <message>
        <source>Cannot connect to {where}.</source>
        <translation>Keine Verbindung zu {where} möglich.</translation>
    </message>
    <message>
        <source>Cannot connect to {where}: {reason}.</source>
        <translation>Keine Verbindung zu {where} möglich: {reason}.</translation>
    </message>
    <message>
        <source>Check the address, your network connection, and that the server is up.</source>
        <translation>Prüfen Sie die Adresse, Ihre Netzwerkverbindung und ob der Server läuft.</translation>
    </message>
    <message>
        <source>The answer from {where} could not be decoded: its Content-Encoding is broken or not one that was asked for (gzip, deflate).</source>
        <translation>Die Antwort von {where} konnte nicht dekodiert werden: Ihr Content-Encoding ist defekt oder keines der angefragten (gzip, deflate).</translation>
    </message>
    <message>
        <source>A Sipstory server does not answer like this: check the base URL and any proxy in front of the server.</source>
        <translation>So antwortet kein Sipstory-Server: Prüfen Sie die Basis-URL und jeden Proxy vor dem Server.</translation>
    </message>
    <message>
        <source>The check failed: {error}.</source>
        <translation>Die Prüfung ist gescheitert: {error}.</translation>
    </message>
    <message>
        <source>from the environment</source>
        <translation>aus der Umgebung</translation>
    </message>
    <message>
        <source>Check the proxy in {variable} (or ALL_PROXY); a host reached without the proxy belongs in NO_PROXY.</source>
        <translation>Prüfen Sie den Proxy in {variable} (oder ALL_PROXY); ein Host, der ohne den Proxy erreicht wird, gehört in NO_PROXY.</translation>
    </message>
    <message>
        <source>{first} Check the proxy in {variable} (or ALL_PROXY); a host reached without the proxy belongs in NO_PROXY.</source>
        <translation>{first} Prüfen Sie den Proxy in {variable} (oder ALL_PROXY); ein Host, der ohne den Proxy erreicht wird, gehört in NO_PROXY.</translation>
    </message>
    <message>
        <source>The TLS connection to the proxy {name} failed: {reason}.</source>
        <translation>Die TLS-Verbindung zum Proxy {name} ist gescheitert: {reason}.</translation>
    </message>
    <message>
        <source>The proxy&apos;s certificate must be signed by an authority your system trusts.</source>
        <translation>Das Zertifikat des Proxys muss von einer Stelle signiert sein, der Ihr System vertraut.</translation>
    </message>
    <message>
        <source>No answer from the proxy {name} within {timeout} s.</source>
        <translation>Keine Antwort vom Proxy {name} innerhalb von {timeout} s.</translation>
    </message>
    <message>
        <source>The proxy {name} would not open a connection to {where} ({answer}).</source>
        <translation>Der Proxy {name} wollte keine Verbindung zu {where} öffnen ({answer}).</translation>
    </message>
    <message>
        <source>The proxy asks for a login: its user name and password go in its URL (http://user:password@host:port), and were missing or refused.</source>
        <translation>Der Proxy verlangt eine Anmeldung: Sein Benutzername und Passwort gehören in seine URL (http://user:password@host:port) und fehlten oder wurden abgelehnt.</translation>
    </message>
    <message>
        <source>The proxy could not reach {where}: check the address, and that it is up.</source>
        <translation>Der Proxy konnte {where} nicht erreichen: Prüfen Sie die Adresse und ob der Server läuft.</translation>
    </message>
    <message>
        <source>The proxy&apos;s rules may block this host: ask whoever runs the proxy.</source>
        <translation>Die Regeln des Proxys blockieren vielleicht diesen Host: Fragen Sie, wer den Proxy betreibt.</translation>
    </message>
    <message>
        <source>Cannot connect to the proxy {name}: its host name could not be found.</source>
        <translation>Keine Verbindung zum Proxy {name} möglich: Sein Hostname wurde nicht gefunden.</translation>
    </message>
    <message>
        <source>The proxy {name} is a SOCKS proxy, which this app cannot use.</source>
        <translation>Der Proxy {name} ist ein SOCKS-Proxy, den diese App nicht verwenden kann.</translation>
    </message>
    <message>
        <source>Set an HTTP proxy instead, or list the host in NO_PROXY.</source>
        <translation>Setzen Sie stattdessen einen HTTP-Proxy, oder tragen Sie den Host in NO_PROXY ein.</translation>
    </message>
    <message>
        <source>The proxy {name} is not a URL that can be used.</source>
        <translation>Der Proxy {name} ist keine verwendbare URL.</translation>
    </message>
    <message>
        <source>Cannot connect to the proxy {name}.</source>
        <translation>Keine Verbindung zum Proxy {name} möglich.</translation>
    </message>
    <message>
        <source>Cannot connect to the proxy {name}: {reason}.</source>
        <translation>Keine Verbindung zum Proxy {name} möglich: {reason}.</translation>
    </message>
    <message>
        <source>the certificate has expired</source>
        <translation>das Zertifikat ist abgelaufen</translation>
    </message>
    <message>
        <source>the certificate is self-signed</source>
        <translation>das Zertifikat ist selbst signiert</translation>
    </message>
    <message>
        <source>the certificate is for another host name</source>
        <translation>das Zertifikat gilt für einen anderen Hostnamen</translation>
    </message>
    <message>
        <source>the certificate is not signed by an authority this computer trusts</source>
        <translation>das Zertifikat ist von keiner Stelle signiert, der dieser Computer vertraut</translation>
    </message>
    <message>
        <source>the handshake failed</source>
        <translation>der Handshake ist gescheitert</translation>
    </message>
    <message>
        <source>The keyring holds no key for this entry.</source>
        <translation>Der Schlüsselbund enthält keinen Schlüssel für diesen Eintrag.</translation>
    </message>
    <message>
        <source>It may have been deleted from the keyring by another program: store it again (sipstory-keys replace-key NAME; or Replace key in the window).</source>
        <translation>Vielleicht hat ein anderes Programm ihn aus dem Schlüsselbund gelöscht: Speichern Sie ihn erneut (sipstory-keys replace-key NAME; oder „Schlüssel ersetzen“ im Fenster).</translation>
    </message>
    <message>
        <source>No key is saved for this entry yet.</source>
        <translation>Für diesen Eintrag ist noch kein Schlüssel gespeichert.</translation>
    </message>
    <message>
        <source>An imported entry comes without its key: add it with Replace key in the window (or sipstory-keys replace-key NAME).</source>
        <translation>Ein importierter Eintrag kommt ohne seinen Schlüssel: Fügen Sie ihn mit „Schlüssel ersetzen“ im Fenster hinzu (oder mit sipstory-keys replace-key NAME).</translation>
    </message>
    <message>
        <source>Not checked: the server said this organization has used up its requests for the hour (HTTP 429), so the check was held back to spare the organization&apos;s budget. It may run again at {clock} (in {minutes} min).</source>
        <translation>Nicht geprüft: Der Server sagte, dass diese Organisation ihre Anfragen für diese Stunde verbraucht hat (HTTP 429); die Prüfung wurde deshalb zurückgehalten, um das Kontingent der Organisation zu schonen. Sie kann um {clock} wieder laufen (in {minutes} Min.).</translation>
    </message>
    <message>
        <source>Wait until then, or force a check (sipstory-keys check --force; in the window, Test again and confirm).</source>
        <translation>Warten Sie bis dahin, oder erzwingen Sie eine Prüfung (sipstory-keys check --force; im Fenster erneut „Prüfen“ und bestätigen).</translation>
    </message>
    <message>
        <source>{names}: {used} of {limit} requests used in the last hour; {planned} more would go over the limit.</source>
        <translation>{names}: {used} von {limit} Anfragen in der letzten Stunde verbraucht; {planned} weitere würden die Grenze überschreiten.</translation>
    </message>
    <message>
        <source>{names} (one organization): {used} of {limit} requests used in the last hour; {planned} more would go over the limit.</source>
        <translation>{names} (eine Organisation): {used} von {limit} Anfragen in der letzten Stunde verbraucht; {planned} weitere würden die Grenze überschreiten.</translation>
    </message>
    <message>
        <source>The keyring</source>
        <translation>Der Schlüsselbund</translation>
    </message>
    <message>
        <source>{provider} is locked.</source>
        <translation>{provider} ist gesperrt.</translation>
    </message>
    <message>
        <source>{provider} has no database open (or shares none over the Secret Service).</source>
        <translation>{provider} hat keine Datenbank geöffnet (oder teilt keine über den Secret Service).</translation>
    </message>
    <message>
        <source>{provider} has no default keyring to keep keys in.</source>
        <translation>{provider} hat keinen Standard-Schlüsselbund, um Schlüssel aufzubewahren.</translation>
    </message>
    <message>
        <source>Open and unlock the database in KeePassXC, with its Secret Service integration on and a group shared (Database Settings), then check again. Your entries and keys are kept.</source>
        <translation>Öffnen und entsperren Sie die Datenbank in KeePassXC, mit eingeschalteter Secret-Service-Integration und einer freigegebenen Gruppe (Datenbankeinstellungen), und prüfen Sie dann erneut. Ihre Einträge und Schlüssel bleiben erhalten.</translation>
    </message>
    <message>
        <source>Create or unlock its default keyring (for GNOME: Passwords and Keys), then check again; saving a key asks it to create one. Your entries are kept.</source>
        <translation>Legen Sie seinen Standard-Schlüsselbund an oder entsperren Sie ihn (bei GNOME: Passwörter und Verschlüsselung), und prüfen Sie dann erneut; beim Speichern eines Schlüssels wird er gebeten, einen anzulegen. Ihre Einträge bleiben erhalten.</translation>
    </message>
    <message>
        <source>Unlock it (the Unlock action asks it to show its prompt; &apos;sipstory-keys unlock&apos; does the same), then check again. Your entries and keys are kept.</source>
        <translation>Entsperren Sie ihn („Entsperren“ bittet ihn, seine Abfrage zu zeigen; &apos;sipstory-keys unlock&apos; tut dasselbe), und prüfen Sie dann erneut. Ihre Einträge und Schlüssel bleiben erhalten.</translation>
    </message>
    <message>
        <source>Install and start a Secret Service provider (GNOME Keyring: &apos;sudo apt install gnome-keyring&apos;; or KeePassXC with its Secret Service integration) inside a desktop session. Without a desktop, run the command under &apos;dbus-run-session&apos; with gnome-keyring-daemon unlocked.</source>
        <translation>Installieren und starten Sie einen Secret-Service-Anbieter (GNOME Keyring: &apos;sudo apt install gnome-keyring&apos;; oder KeePassXC mit seiner Secret-Service-Integration) in einer Desktop-Sitzung. Ohne Desktop führen Sie den Befehl unter &apos;dbus-run-session&apos; mit entsperrtem gnome-keyring-daemon aus.</translation>
    </message>
    <message>
        <source>Check that your system keychain is available, then try again.</source>
        <translation>Prüfen Sie, ob der Schlüsselbund Ihres Systems verfügbar ist, und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>The keyring did not answer within {timeout} s.</source>
        <translation>Der Schlüsselbund hat nicht innerhalb von {timeout} s geantwortet.</translation>
    </message>
    <message>
        <source>An unlock prompt may be waiting on your screen; answer it and try again.</source>
        <translation>Vielleicht wartet eine Entsperr-Abfrage auf Ihrem Bildschirm; beantworten Sie sie und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>The keyring&apos;s prompt was dismissed; the keys stay locked.</source>
        <translation>Die Abfrage des Schlüsselbunds wurde abgewiesen; die Schlüssel bleiben gesperrt.</translation>
    </message>
    <message>
        <source>Nobody answered the keyring&apos;s prompt in time.</source>
        <translation>Niemand hat die Abfrage des Schlüsselbunds rechtzeitig beantwortet.</translation>
    </message>
    <message>
        <source>Check again and answer the prompt (allow Sipstory Desktop) to read the keys.</source>
        <translation>Prüfen Sie erneut und beantworten Sie die Abfrage (Sipstory Desktop erlauben), um die Schlüssel zu lesen.</translation>
    </message>
    <message>
        <source>No system keyring is available.</source>
        <translation>Kein Schlüsselbund des Systems verfügbar.</translation>
    </message>
    <message>
        <source>The keyring is locked.</source>
        <translation>Der Schlüsselbund ist gesperrt.</translation>
    </message>
    <message>
        <source>Unlock it (log in to your desktop again, or open your password manager) and retry.</source>
        <translation>Entsperren Sie ihn (melden Sie sich erneut am Desktop an, oder öffnen Sie Ihren Passwortmanager) und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>The keyring asked to be unlocked or created and the prompt was dismissed.</source>
        <translation>Der Schlüsselbund bat darum, entsperrt oder angelegt zu werden, und die Abfrage wurde abgewiesen.</translation>
    </message>
    <message>
        <source>Retry and answer the keyring&apos;s prompt; set a password for the keyring if asked.</source>
        <translation>Versuchen Sie es erneut und beantworten Sie die Abfrage des Schlüsselbunds; legen Sie ein Passwort für ihn fest, wenn Sie gefragt werden.</translation>
    </message>
    <message>
        <source>The keyring could not be opened ({error}).</source>
        <translation>Der Schlüsselbund konnte nicht geöffnet werden ({error}).</translation>
    </message>
    <message>
        <source>no reason given</source>
        <translation>ohne Begründung</translation>
    </message>
    <message>
        <source>The keyring refused to store the key ({error}).</source>
        <translation>Der Schlüsselbund hat sich geweigert, den Schlüssel zu speichern ({error}).</translation>
    </message>
    <message>
        <source>Check that the keyring is unlocked and writable, then try again.</source>
        <translation>Prüfen Sie, ob der Schlüsselbund entsperrt und beschreibbar ist, und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>The keyring refused to delete the key ({error}).</source>
        <translation>Der Schlüsselbund hat sich geweigert, den Schlüssel zu löschen ({error}).</translation>
    </message>
    <message>
        <source>Check that the keyring is unlocked, then try again.</source>
        <translation>Prüfen Sie, ob der Schlüsselbund entsperrt ist, und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>The keyring failed while trying to {what} ({error}).</source>
        <translation>Der Schlüsselbund ist beim Versuch zu {what} gescheitert ({error}).</translation>
    </message>
    <message>
        <source>Check that the keyring is running and unlocked, then try again.</source>
        <translation>Prüfen Sie, ob der Schlüsselbund läuft und entsperrt ist, und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>read</source>
        <translation>lesen</translation>
    </message>
    <message>
        <source>store</source>
        <translation>speichern</translation>
    </message>
    <message>
        <source>delete</source>
        <translation>löschen</translation>
    </message>
    <message>
        <source>unlock</source>
        <translation>entsperren</translation>
    </message>
    <message>
        <source>probe</source>
        <translation>prüfen</translation>
    </message>
    <message>
        <source>Nothing answers at {url} (HTTP 404): this URL is not a Sipstory API, or the server is too old to list channels.</source>
        <translation>Unter {url} antwortet nichts (HTTP 404): Diese URL ist keine Sipstory-API, oder der Server ist zu alt, um Kanäle aufzulisten.</translation>
    </message>
    <message>
        <source>Check that the base URL is a Sipstory API and that the server is up to date.</source>
        <translation>Prüfen Sie, ob die Basis-URL eine Sipstory-API ist und der Server aktuell ist.</translation>
    </message>
    <message>
        <source>The channel list is larger than {kb} KB and could not be read in full.</source>
        <translation>Die Kanalliste ist größer als {kb} KB und konnte nicht vollständig gelesen werden.</translation>
    </message>
    <message>
        <source>Open the channels in Sipstory&apos;s web app instead.</source>
        <translation>Öffnen Sie die Kanäle stattdessen in der Web-App von Sipstory.</translation>
    </message>
    <message>
        <source>The server answered HTTP {status} with JSON that cannot be read.</source>
        <translation>Der Server antwortete HTTP {status} mit JSON, das nicht gelesen werden kann.</translation>
    </message>
    <message>
        <source>The server answered HTTP {status} with {shape}, not a list of channels.</source>
        <translation>Der Server antwortete HTTP {status} mit {shape}, nicht mit einer Liste von Kanälen.</translation>
    </message>
    <message>
        <source>a JSON object ({keys})</source>
        <translation>einem JSON-Objekt ({keys})</translation>
    </message>
    <message>
        <source>an empty JSON object</source>
        <translation>einem leeren JSON-Objekt</translation>
    </message>
    <message>
        <source>a JSON array</source>
        <translation>einem JSON-Array</translation>
    </message>
    <message>
        <source>JSON null</source>
        <translation>einem JSON-Nullwert</translation>
    </message>
    <message>
        <source>a JSON boolean</source>
        <translation>einem JSON-Wahrheitswert</translation>
    </message>
    <message>
        <source>a JSON string</source>
        <translation>einer JSON-Zeichenkette</translation>
    </message>
    <message>
        <source>a JSON number</source>
        <translation>einer JSON-Zahl</translation>
    </message>
    <message>
        <source>The key works: 1 channel listed.</source>
        <translation>Der Schlüssel funktioniert: 1 Kanal aufgelistet.</translation>
    </message>
    <message>
        <source>The key works: {count} channels listed.</source>
        <translation>Der Schlüssel funktioniert: {count} Kanäle aufgelistet.</translation>
    </message>
    <message>
        <source>{listed} {skipped} item(s) of the answer could not be read and were skipped.</source>
        <translation>{listed} {skipped} Element(e) der Antwort konnten nicht gelesen werden und wurden übersprungen.</translation>
    </message>
    <message>
        <source>The keyring in use, {name}, does not encrypt your keys.</source>
        <translation>Der verwendete Schlüsselbund, {name}, verschlüsselt Ihre Schlüssel nicht.</translation>
    </message>
    <message>
        <source>The keyring already held a key for &apos;{name}&apos; at this address (a shared vault); it now holds the key you entered.</source>
        <translation>Der Schlüsselbund enthielt bereits einen Schlüssel für &apos;{name}&apos; unter dieser Adresse (ein geteilter Tresor); jetzt enthält er den Schlüssel, den Sie eingegeben haben.</translation>
    </message>
    <message>
        <source>An entry called &apos;{name}&apos; already exists; choose another name.</source>
        <translation>Ein Eintrag namens &apos;{name}&apos; existiert bereits; wählen Sie einen anderen Namen.</translation>
    </message>
    <message>
        <source>An entry called &apos;{name}&apos; already exists.</source>
        <translation>Ein Eintrag namens &apos;{name}&apos; existiert bereits.</translation>
    </message>
    <message>
        <source>This entry no longer exists; it was removed elsewhere.</source>
        <translation>Dieser Eintrag existiert nicht mehr; er wurde anderswo entfernt.</translation>
    </message>
    <message>
        <source>This key belongs to an entry; remove the entry instead.</source>
        <translation>Dieser Schlüssel gehört zu einem Eintrag; entfernen Sie stattdessen den Eintrag.</translation>
    </message>
    <message>
        <source>{host} is reached over plain http://: the key travels unencrypted. Use https:// unless this is a trusted private network.</source>
        <translation>{host} wird über unverschlüsseltes http:// erreicht: Der Schlüssel wird unverschlüsselt übertragen. Verwenden Sie https://, außer in einem vertrauenswürdigen privaten Netz.</translation>
    </message>
    <message>
        <source>The key is empty: paste the key from Settings → Developers → API Key.</source>
        <translation>Der Schlüssel ist leer: Fügen Sie den Schlüssel aus Settings → Developers → API Key ein.</translation>
    </message>
    <message>
        <source>Removed the &apos;Bearer &apos; prefix: Sipstory expects the raw key in the Authorization header and rejects &apos;Bearer &lt;key&gt;&apos; as an invalid key.</source>
        <translation>Das Präfix &apos;Bearer &apos; wurde entfernt: Sipstory erwartet den reinen Schlüssel im Authorization-Header und lehnt &apos;Bearer &lt;key&gt;&apos; als ungültigen Schlüssel ab.</translation>
    </message>
    <message>
        <source>Only &apos;Bearer&apos; was pasted, without the key after it.</source>
        <translation>Nur &apos;Bearer&apos; wurde eingefügt, ohne den Schlüssel dahinter.</translation>
    </message>
    <message>
        <source>The key contains spaces or line breaks; a Sipstory key is one word. Check that only the key was copied.</source>
        <translation>Der Schlüssel enthält Leerzeichen oder Zeilenumbrüche; ein Sipstory-Schlüssel ist ein Wort. Prüfen Sie, ob nur der Schlüssel kopiert wurde.</translation>
    </message>
    <message>
        <source>The key contains control characters; copy it again.</source>
        <translation>Der Schlüssel enthält Steuerzeichen; kopieren Sie ihn erneut.</translation>
    </message>
    <message>
        <source>The key contains characters outside plain ASCII; a Sipstory key has none. Copy it again from Settings → Developers → API Key.</source>
        <translation>Der Schlüssel enthält Zeichen außerhalb von reinem ASCII; ein Sipstory-Schlüssel hat keine. Kopieren Sie ihn erneut aus Settings → Developers → API Key.</translation>
    </message>
    <message>
        <source>The key is {length} characters long, over {limit}.</source>
        <translation>Der Schlüssel ist {length} Zeichen lang, mehr als {limit}.</translation>
    </message>
    <message>
        <source>The name is empty.</source>
        <translation>Der Name ist leer.</translation>
    </message>
    <message>
        <source>The name is longer than {limit} characters.</source>
        <translation>Der Name ist länger als {limit} Zeichen.</translation>
    </message>
    <message>
        <source>The name contains control characters.</source>
        <translation>Der Name enthält Steuerzeichen.</translation>
    </message>
    <message>
        <source>base URL</source>
        <translation>Basis-URL</translation>
    </message>
    <message>
        <source>instance address</source>
        <translation>Adresse der Instanz</translation>
    </message>
    <message>
        <source>The {what} is empty.</source>
        <translation>Die {what} ist leer.</translation>
    </message>
    <message>
        <source>The {what} contains spaces; a URL has none.</source>
        <translation>Die {what} enthält Leerzeichen; eine URL hat keine.</translation>
    </message>
    <message>
        <source>The {what} contains control characters.</source>
        <translation>Die {what} enthält Steuerzeichen.</translation>
    </message>
    <message>
        <source>The {what} is not a valid URL ({error}).</source>
        <translation>Die {what} ist keine gültige URL ({error}).</translation>
    </message>
    <message>
        <source>The {what} uses &apos;{scheme}://&apos;; only https:// (or http:// for a local server) is supported.</source>
        <translation>Die {what} verwendet &apos;{scheme}://&apos;; nur https:// (oder http:// für einen lokalen Server) wird unterstützt.</translation>
    </message>
    <message>
        <source>The {what} contains a user name or password (user:password@); remove it: the API key is the only credential.</source>
        <translation>Die {what} enthält einen Benutzernamen oder ein Passwort (user:password@); entfernen Sie es: Der API-Schlüssel ist die einzige Anmeldeinformation.</translation>
    </message>
    <message>
        <source>The {what} has a query (?...); a base URL has none.</source>
        <translation>Die {what} hat eine Abfrage (?...); eine Basis-URL hat keine.</translation>
    </message>
    <message>
        <source>The {what} has a fragment (#...); a base URL has none.</source>
        <translation>Die {what} hat ein Fragment (#...); eine Basis-URL hat keines.</translation>
    </message>
    <message>
        <source>The {what} has no host name.</source>
        <translation>Die {what} hat keinen Hostnamen.</translation>
    </message>
    <message>
        <source>The host name &apos;{host}&apos; is not valid.</source>
        <translation>Der Hostname &apos;{host}&apos; ist nicht gültig.</translation>
    </message>
    <message>
        <source>The address is empty.</source>
        <translation>Die Adresse ist leer.</translation>
    </message>
    <message>
        <source>The base URL needs a scheme: start it with https:// (or http:// for a local server).</source>
        <translation>Die Basis-URL braucht ein Schema: Beginnen Sie sie mit https:// (oder http:// für einen lokalen Server).</translation>
    </message>
    <message>
        <source>The config file was damaged ({reason}) and had no usable backup. It was kept as {aside} and the list starts empty; re-add your entries (their keys are still in the keyring).</source>
        <translation>Die Konfigurationsdatei war beschädigt ({reason}) und hatte keine brauchbare Sicherung. Sie wurde als {aside} aufbewahrt, und die Liste beginnt leer; fügen Sie Ihre Einträge erneut hinzu (ihre Schlüssel sind noch im Schlüsselbund).</translation>
    </message>
    <message>
        <source>The config file was damaged ({reason}). It was kept as {aside} and the previous version restored from the backup ({count} entries); the last change may be missing.</source>
        <translation>Die Konfigurationsdatei war beschädigt ({reason}). Sie wurde als {aside} aufbewahrt und die vorige Version aus der Sicherung wiederhergestellt ({count} Einträge); die letzte Änderung fehlt vielleicht.</translation>
    </message>
</context>
<context>
    <name>DesktopServices</name>
    <message>
        <source>This desktop has no system tray for app icons (no StatusNotifier watcher on the session bus; on GNOME, the AppIndicator extension adds one).</source>
        <translation>Diese Arbeitsumgebung hat keinen Infobereich für App-Symbole (kein StatusNotifier-Watcher auf dem Sitzungsbus; unter GNOME fügt die Erweiterung AppIndicator einen hinzu).</translation>
    </message>
    <message>
        <source>This desktop&apos;s system tray is not shown right now (no StatusNotifier host is registered on the session bus).</source>
        <translation>Der Infobereich dieser Arbeitsumgebung wird gerade nicht angezeigt (auf dem Sitzungsbus ist kein StatusNotifier-Host registriert).</translation>
    </message>
    <message>
        <source>There is no D-Bus session bus, so there is no system tray either.</source>
        <translation>Es gibt keinen D-Bus-Sitzungsbus und damit auch keinen Infobereich.</translation>
    </message>
    <message>
        <source>This desktop has no system tray.</source>
        <translation>Diese Arbeitsumgebung hat keinen Infobereich.</translation>
    </message>
</context>
<context>
    <name>DetailsPane</name>
    <message>
        <source>Details of the selected key</source>
        <translation>Details des ausgewählten Schlüssels</translation>
    </message>
    <message>
        <source>Recent results</source>
        <translation>Letzte Ergebnisse</translation>
    </message>
    <message>
        <source>Und&amp;o replace</source>
        <translation>Ersetzen rückgängi&amp;g</translation>
    </message>
    <message>
        <source>Undo replace</source>
        <translation>Ersetzen rückgängig</translation>
    </message>
    <message>
        <source>Store the key this entry had before its key was replaced (kept until quit)</source>
        <translation>Den Schlüssel wieder speichern, den dieser Eintrag vor dem Ersetzen hatte (bis zum Beenden aufbewahrt)</translation>
    </message>
    <message>
        <source>Base URL</source>
        <translation>Basis-URL</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>Schlüssel</translation>
    </message>
    <message>
        <source>HTTP status</source>
        <translation>HTTP-Status</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>Latenz</translation>
    </message>
    <message>
        <source>Checked</source>
        <translation>Geprüft</translation>
    </message>
    <message>
        <source>Rate budget</source>
        <translation>Anfragekontingent</translation>
    </message>
    <message>
        <source>Stored in</source>
        <translation>Gespeichert in</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Notiz</translation>
    </message>
    <message>
        <source>&amp;Check</source>
        <translation>&amp;Prüfen</translation>
    </message>
    <message>
        <source>E&amp;dit…</source>
        <translation>Be&amp;arbeiten…</translation>
    </message>
    <message>
        <source>Re&amp;place key…</source>
        <translation>Schlüssel e&amp;rsetzen…</translation>
    </message>
    <message>
        <source>Cop&amp;y key</source>
        <translation>Schlüssel &amp;kopieren</translation>
    </message>
    <message>
        <source>Re&amp;veal</source>
        <translation>An&amp;zeigen</translation>
    </message>
    <message>
        <source>Re&amp;move…</source>
        <translation>&amp;Entfernen…</translation>
    </message>
    <message>
        <source>Cha&amp;nnels…</source>
        <translation>Kanä&amp;le…</translation>
    </message>
    <message>
        <source>Find API &amp;URL…</source>
        <translation>API-&amp;URL finden…</translation>
    </message>
    <message>
        <source>Copy as cur&amp;l</source>
        <translation>Als curl k&amp;opieren</translation>
    </message>
    <message>
        <source>Use in a &amp;terminal…</source>
        <translation>In einem &amp;Terminal verwenden…</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Wird geprüft…</translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>In der Warteschlange</translation>
    </message>
    <message>
        <source>No key is saved for this entry yet (an imported entry comes without its key): add it with Add the key.</source>
        <translation>Für diesen Eintrag ist noch kein Schlüssel gespeichert (ein importierter Eintrag kommt ohne seinen Schlüssel): Fügen Sie ihn mit „Schlüssel hinzufügen“ hinzu.</translation>
    </message>
    <message>
        <source>Not checked yet. Press Test (Ctrl+T) to check this key; each check may count against the organization&apos;s 30 requests per hour.</source>
        <translation>Noch nicht geprüft. Drücken Sie Strg+T, um diesen Schlüssel zu prüfen; jede Prüfung kann auf die 30 Anfragen pro Stunde der Organisation angerechnet werden.</translation>
    </message>
    <message>
        <source>%s ms</source>
        <translation>%s ms</translation>
    </message>
    <message>
        <source>never</source>
        <translation>nie</translation>
    </message>
    <message>
        <source>No key selected</source>
        <translation>Kein Schlüssel ausgewählt</translation>
    </message>
    <message>
        <source>Select a key in the list to see its details.</source>
        <translation>Wählen Sie einen Schlüssel in der Liste, um seine Details zu sehen.</translation>
    </message>
    <message>
        <source>No key saved</source>
        <translation>Kein Schlüssel gespeichert</translation>
    </message>
    <message>
        <source>&amp;Add the key…</source>
        <translation>Schlüssel hinzu&amp;fügen…</translation>
    </message>
    <message>
        <source>%1/%2 used in the last hour</source>
        <translation>%1/%2 in der letzten Stunde verbraucht</translation>
    </message>
    <message>
        <source>the server said %1 of %2 left</source>
        <translation>laut Server %1 von %2 übrig</translation>
    </message>
    <message>
        <source>resetting in %1 min</source>
        <translation>zurückgesetzt in %1 Min.</translation>
    </message>
</context>
<context>
    <name>EmptyState</name>
    <message>
        <source>Keep your Sipstory API keys safe, and know they work</source>
        <translation>Bewahren Sie Ihre Sipstory-API-Schlüssel sicher auf und wissen Sie, dass sie funktionieren</translation>
    </message>
    <message>
        <source>&lt;p&gt;An &lt;b&gt;API key&lt;/b&gt; lets scripts and tools act for one Sipstory organization. Each organization has its own key, on Sipstory Cloud or on your own instance.&lt;/p&gt;&lt;p&gt;Find yours in Sipstory under &lt;b&gt;Settings → Developers → API Key&lt;/b&gt;. Sipstory Desktop keeps it in your system&apos;s keyring, never in a plain file, and checks at one click that it still works.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Mit einem &lt;b&gt;API-Schlüssel&lt;/b&gt; handeln Skripte und Werkzeuge für eine Sipstory-Organisation. Jede Organisation hat ihren eigenen Schlüssel, in der Sipstory Cloud oder auf Ihrer eigenen Instanz.&lt;/p&gt;&lt;p&gt;Sie finden ihn in Sipstory unter &lt;b&gt;Settings → Developers → API Key&lt;/b&gt;. Sipstory Desktop bewahrt ihn im Schlüsselbund Ihres Systems auf, nie in einer einfachen Datei, und prüft mit einem Klick, ob er noch funktioniert.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&amp;Add a key…</source>
        <translation>Schlüssel hinzu&amp;fügen…</translation>
    </message>
    <message>
        <source>Add a key</source>
        <translation>Schlüssel hinzufügen</translation>
    </message>
    <message>
        <source>Try the &amp;demo</source>
        <translation>Demo &amp;ausprobieren</translation>
    </message>
    <message>
        <source>Try the demo</source>
        <translation>Demo ausprobieren</translation>
    </message>
    <message>
        <source>Opens a second window on a local demo server with sample keys; your own keys and settings are not touched.</source>
        <translation>Öffnet ein zweites Fenster mit einem lokalen Demo-Server und Beispielschlüsseln; Ihre eigenen Schlüssel und Einstellungen bleiben unberührt.</translation>
    </message>
</context>
<context>
    <name>EntryCommands</name>
    <message>
        <source>The previous key ({masked}) is kept in memory until you quit, in case the new one is wrong: Undo replace stores it in the keyring again.</source>
        <translation>Der vorherige Schlüssel ({masked}) bleibt bis zum Beenden im Speicher, falls der neue falsch ist: „Ersetzen rückgängig“ speichert ihn wieder im Schlüsselbund.</translation>
    </message>
    <message>
        <source>Replaced the key of “%s”.</source>
        <translation>Der Schlüssel von „%s“ wurde ersetzt.</translation>
    </message>
    <message>
        <source>Undo replace</source>
        <translation>Ersetzen rückgängig</translation>
    </message>
    <message>
        <source>The key was changed elsewhere since it was replaced (by sipstory-keys, or by a teammate in a shared vault). Undo replace would overwrite that newer key, so the keyring was left as it is.</source>
        <translation>Der Schlüssel wurde seit dem Ersetzen anderswo geändert (mit sipstory-keys oder von jemandem im Team in einem geteilten Tresor). Ersetzen rückgängig würde diesen neueren Schlüssel überschreiben; der Schlüsselbund bleibt daher, wie er ist.</translation>
    </message>
    <message>
        <source>Restored the previous key of “%s”.</source>
        <translation>Der vorherige Schlüssel von „%s“ wurde wiederhergestellt.</translation>
    </message>
    <message>
        <source>Could not restore the previous key</source>
        <translation>Der vorherige Schlüssel konnte nicht wiederhergestellt werden</translation>
    </message>
    <message>
        <source>Remove “%s”?</source>
        <translation>„%s“ entfernen?</translation>
    </message>
    <message>
        <source>Remove “%s” (%s) and delete its key from the keyring?</source>
        <translation>„%s“ (%s) entfernen und seinen Schlüssel aus dem Schlüsselbund löschen?</translation>
    </message>
    <message>
        <source>The key itself stays valid in Sipstory until you rotate it there.</source>
        <translation>Der Schlüssel selbst bleibt in Sipstory gültig, bis Sie ihn dort rotieren.</translation>
    </message>
    <message>
        <source>Removed “%s” and deleted its key.</source>
        <translation>„%s“ entfernt und seinen Schlüssel gelöscht.</translation>
    </message>
    <message>
        <source>Could not remove the entry</source>
        <translation>Der Eintrag konnte nicht entfernt werden</translation>
    </message>
    <message>
        <source>“%s” now uses %s.</source>
        <translation>„%s“ verwendet jetzt %s.</translation>
    </message>
    <message>
        <source>Could not change the entry</source>
        <translation>Der Eintrag konnte nicht geändert werden</translation>
    </message>
    <message>
        <source>Saved, with a note.</source>
        <translation>Gespeichert, mit einem Hinweis.</translation>
    </message>
    <message>
        <source>Saved “%s”.</source>
        <translation>„%s“ gespeichert.</translation>
    </message>
</context>
<context>
    <name>EntryDialog</name>
    <message>
        <source>&amp;New key:</source>
        <translation>&amp;Neuer Schlüssel:</translation>
    </message>
    <message>
        <source>&amp;Key:</source>
        <translation>&amp;Schlüssel:</translation>
    </message>
    <message>
        <source>Add a key</source>
        <translation>Schlüssel hinzufügen</translation>
    </message>
    <message>
        <source>Edit {name}</source>
        <translation>{name} bearbeiten</translation>
    </message>
    <message>
        <source>Add the key of {name}</source>
        <translation>Schlüssel von {name} hinzufügen</translation>
    </message>
    <message>
        <source>Replace the key of {name}</source>
        <translation>Schlüssel von {name} ersetzen</translation>
    </message>
    <message>
        <source>Only the key changes: the entry and its check history are kept. After a rotation in Sipstory (Settings → Developers → API Key), the old key stops working at once.</source>
        <translation>Nur der Schlüssel ändert sich: Der Eintrag und sein Prüfverlauf bleiben erhalten. Nach einer Rotation in Sipstory (Settings → Developers → API Key) funktioniert der alte Schlüssel sofort nicht mehr.</translation>
    </message>
    <message>
        <source>Base URL:</source>
        <translation>Basis-URL:</translation>
    </message>
    <message>
        <source>None saved</source>
        <translation>Keiner gespeichert</translation>
    </message>
    <message>
        <source>Current key:</source>
        <translation>Aktueller Schlüssel:</translation>
    </message>
    <message>
        <source>{masked} (unchanged: use Replace key to change it)</source>
        <translation>{masked} (unverändert: Zum Ändern „Schlüssel ersetzen“ verwenden)</translation>
    </message>
    <message>
        <source>Key:</source>
        <translation>Schlüssel:</translation>
    </message>
    <message>
        <source>&amp;Check before saving</source>
        <translation>Vor dem Speichern &amp;prüfen</translation>
    </message>
    <message>
        <source>Check before saving</source>
        <translation>Vor dem Speichern prüfen</translation>
    </message>
    <message>
        <source>Send one request to the server with this key. It may count as one of the 30 requests per hour that Sipstory allows.</source>
        <translation>Eine Anfrage mit diesem Schlüssel an den Server senden. Sie kann als eine der 30 Anfragen pro Stunde zählen, die Sipstory erlaubt.</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Hinzufügen</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <source>Replace key</source>
        <translation>Schlüssel ersetzen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Wird geprüft…</translation>
    </message>
    <message>
        <source>Replace with a rejected key?</source>
        <translation>Durch einen abgelehnten Schlüssel ersetzen?</translation>
    </message>
    <message>
        <source>Add a rejected key?</source>
        <translation>Einen abgelehnten Schlüssel hinzufügen?</translation>
    </message>
    <message>
        <source>The test you just ran says “{status}”: {message}</source>
        <translation>Die eben ausgeführte Prüfung ergab „{status}“: {message}</translation>
    </message>
    <message>
        <source>The current key is kept until you quit: Undo replace in the window stores it again.</source>
        <translation>Der aktuelle Schlüssel bleibt bis zum Beenden erhalten: „Ersetzen rückgängig“ im Fenster speichert ihn wieder.</translation>
    </message>
    <message>
        <source>The entry will be saved and shown as failing.</source>
        <translation>Der Eintrag wird gespeichert und als fehlerhaft angezeigt.</translation>
    </message>
    <message>
        <source>Replace anyway</source>
        <translation>Trotzdem ersetzen</translation>
    </message>
    <message>
        <source>Add anyway</source>
        <translation>Trotzdem hinzufügen</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Wird gespeichert…</translation>
    </message>
</context>
<context>
    <name>EntryListView</name>
    <message>
        <source>Saved keys</source>
        <translation>Gespeicherte Schlüssel</translation>
    </message>
</context>
<context>
    <name>EntryModel</name>
    <message>
        <source>Check</source>
        <translation>Prüfen</translation>
    </message>
    <message>
        <source>No key saved</source>
        <translation>Kein Schlüssel gespeichert</translation>
    </message>
    <message>
        <source>%s ms</source>
        <translation>%s ms</translation>
    </message>
    <message>
        <source>%d of %d working</source>
        <translation>%d von %d funktionsfähig</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Instance / path</source>
        <translation>Instanz / Pfad</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>Schlüssel</translation>
    </message>
    <message>
        <source>Last checked</source>
        <translation>Geprüft</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>Latenz</translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation>Stunde</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Verlauf</translation>
    </message>
    <message numerus="yes">
        <source>%n key(s) on %s</source>
        <translation>
            <numerusform>%n Schlüssel auf %s</numerusform>
            <numerusform>%n Schlüssel auf %s</numerusform>
        </translation>
    </message>
    <message>
        <source>%s · again at %s</source>
        <translation>%s · wieder um %s</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Wird geprüft…</translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>In der Warteschlange</translation>
    </message>
    <message>
        <source>%s; worst: %s</source>
        <translation>%s; schlechtester: %s</translation>
    </message>
    <message>
        <source>Press Ctrl+T, or the details&apos; Check button, to check the selected key now.</source>
        <translation>Drücken Sie Strg+T oder in den Details auf „Prüfen“, um den ausgewählten Schlüssel jetzt zu prüfen.</translation>
    </message>
    <message>
        <source>%d of the last %d results working</source>
        <translation>%d der letzten %d Ergebnisse erfolgreich</translation>
    </message>
    <message>
        <source>No results yet</source>
        <translation>Noch keine Ergebnisse</translation>
    </message>
    <message>
        <source>Working</source>
        <translation>Funktionsfähig</translation>
    </message>
    <message>
        <source>Rate limited</source>
        <translation>Gedrosselt</translation>
    </message>
    <message>
        <source>Failing</source>
        <translation>Fehlerhaft</translation>
    </message>
    <message>
        <source>Unchecked</source>
        <translation>Ungeprüft</translation>
    </message>
    <message>
        <source>%s since %s</source>
        <translation>%s seit %s</translation>
    </message>
    <message>
        <source>Last %d results: %s; %s since %s</source>
        <translation>Letzte %d Ergebnisse: %s; %s seit %s</translation>
    </message>
    <message>
        <source>Sipstory Cloud</source>
        <translation>Sipstory Cloud</translation>
    </message>
    <message>
        <source>Sipstory answered 429 Too Many Requests: the organization has used up its %d requests of this hour.</source>
        <translation>Sipstory antwortete mit 429 Too Many Requests: Die Organisation hat ihre %d Anfragen dieser Stunde verbraucht.</translation>
    </message>
    <message>
        <source>Checks sent with this key in the last hour; Sipstory allows %d requests per hour per organization.</source>
        <translation>Mit diesem Schlüssel in der letzten Stunde gesendete Prüfungen; Sipstory erlaubt %d Anfragen pro Stunde und Organisation.</translation>
    </message>
    <message>
        <source>Check this key now (Ctrl+T)</source>
        <translation>Diesen Schlüssel jetzt prüfen (Strg+T)</translation>
    </message>
</context>
<context>
    <name>EnvImportDialog</name>
    <message>
        <source>Import keys from .env files</source>
        <translation>Schlüssel aus .env-Dateien importieren</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Keys found</source>
        <translation>Gefundene Schlüssel</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>Importieren</translation>
    </message>
    <message>
        <source>File and line</source>
        <translation>Datei und Zeile</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>Schlüssel</translation>
    </message>
    <message>
        <source>Base URL</source>
        <translation>Basis-URL</translation>
    </message>
    <message>
        <source>Saved as</source>
        <translation>Gespeichert als</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Prüfen</translation>
    </message>
    <message numerus="yes">
        <source>Checked %n key(s).</source>
        <translation>
            <numerusform>%n Schlüssel geprüft.</numerusform>
            <numerusform>%n Schlüssel geprüft.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n other *_API_KEY line(s) left alone: not Sipstory&apos;s.</source>
        <translation>
            <numerusform>%n weitere *_API_KEY-Zeile unverändert gelassen: nicht von Sipstory.</numerusform>
            <numerusform>%n weitere *_API_KEY-Zeilen unverändert gelassen: nicht von Sipstory.</numerusform>
        </translation>
    </message>
    <message>
        <source>No Sipstory keys were found in these files.</source>
        <translation>In diesen Dateien wurden keine Sipstory-Schlüssel gefunden.</translation>
    </message>
    <message>
        <source>&amp;Scrub the files afterwards (a backup of each is kept, mode 0600)</source>
        <translation>Dateien danach &amp;bereinigen (je eine Sicherung bleibt erhalten, Modus 0600)</translation>
    </message>
    <message>
        <source>Each key line becomes a comment that holds no key and says how to use sipstory-keys run instead. A file changed since it was read is left alone.</source>
        <translation>Jede Schlüsselzeile wird zu einem Kommentar ohne Schlüssel, der erklärt, wie man stattdessen sipstory-keys run verwendet. Eine seit dem Lesen geänderte Datei bleibt unverändert.</translation>
    </message>
    <message>
        <source>C&amp;heck selected</source>
        <translation>Auswahl p&amp;rüfen</translation>
    </message>
    <message>
        <source>&amp;Import</source>
        <translation>&amp;Importieren</translation>
    </message>
    <message>
        <source>Keys are shown masked. Saving one puts it in the keyring: as a new entry, or as the key of an entry that has none.</source>
        <translation>Schlüssel werden maskiert angezeigt. Beim Speichern kommt einer in den Schlüsselbund: als neuer Eintrag oder als Schlüssel eines Eintrags, der keinen hat.</translation>
    </message>
    <message>
        <source>new entry “%s”</source>
        <translation>neuer Eintrag „%s“</translation>
    </message>
    <message>
        <source>key of “%s” (it has none)</source>
        <translation>Schlüssel von „%s“ (er hat keinen)</translation>
    </message>
    <message>
        <source>already saved as “%s”</source>
        <translation>schon gespeichert als „%s“</translation>
    </message>
    <message numerus="yes">
        <source>Checking %n key(s)…</source>
        <translation>
            <numerusform>%n Schlüssel wird geprüft…</numerusform>
            <numerusform>%n Schlüssel werden geprüft…</numerusform>
        </translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Wird gespeichert…</translation>
    </message>
</context>
<context>
    <name>FilterField</name>
    <message>
        <source>Filter (Ctrl+F)</source>
        <translation>Filtern (Strg+F)</translation>
    </message>
    <message>
        <source>Filter the keys</source>
        <translation>Schlüssel filtern</translation>
    </message>
    <message>
        <source>Clear the filter</source>
        <translation>Filter leeren</translation>
    </message>
</context>
<context>
    <name>FindUrlDialog</name>
    <message>
        <source>Find the API URL</source>
        <translation>API-URL finden</translation>
    </message>
    <message>
        <source>Tries the usual API addresses of a self-hosted Sipstory. The probes send no key: a Sipstory API is recognised without one, so your key never reaches a wrong server and no request counts against the hourly limit.</source>
        <translation>Versucht die üblichen API-Adressen eines selbst gehosteten Sipstory. Die Proben senden keinen Schlüssel: Eine Sipstory-API wird auch ohne erkannt, sodass Ihr Schlüssel nie einen falschen Server erreicht und keine Anfrage auf das Stundenlimit angerechnet wird.</translation>
    </message>
    <message>
        <source>Instance address</source>
        <translation>Adresse der Instanz</translation>
    </message>
    <message>
        <source>&amp;Address:</source>
        <translation>&amp;Adresse:</translation>
    </message>
    <message>
        <source>&amp;Search again</source>
        <translation>Erneut &amp;suchen</translation>
    </message>
    <message>
        <source>Search again</source>
        <translation>Erneut suchen</translation>
    </message>
    <message>
        <source>&amp;Use this URL</source>
        <translation>Diese URL &amp;verwenden</translation>
    </message>
    <message>
        <source>Use this URL</source>
        <translation>Diese URL verwenden</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>The entry uses {url} now.</source>
        <translation>Der Eintrag verwendet jetzt {url}.</translation>
    </message>
    <message>
        <source>Addresses tried</source>
        <translation>Versuchte Adressen</translation>
    </message>
    <message>
        <source>Base URL</source>
        <translation>Basis-URL</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>Detail</translation>
    </message>
    <message>
        <source>Trying {n} addresses…</source>
        <translation>{n} Adressen werden versucht…</translation>
    </message>
    <message>
        <source> (current)</source>
        <translation> (aktuell)</translation>
    </message>
    <message>
        <source>Waiting…</source>
        <translation>Wartet…</translation>
    </message>
    <message>
        <source>No details yet</source>
        <translation>Noch keine Details</translation>
    </message>
    <message>
        <source>No details</source>
        <translation>Keine Details</translation>
    </message>
    <message>
        <source>Sipstory answers at {url}, the base URL the entry uses already.</source>
        <translation>Sipstory antwortet unter {url}, der Basis-URL, die der Eintrag schon verwendet.</translation>
    </message>
    <message>
        <source>Sipstory answers at {url}</source>
        <translation>Sipstory antwortet unter {url}</translation>
    </message>
    <message>
        <source>Sipstory answers at none of the {n} addresses tried ({why}).</source>
        <translation>Sipstory antwortet unter keiner der {n} versuchten Adressen ({why}).</translation>
    </message>
    <message>
        <source>Is the instance running, and reachable from this computer (VPN, firewall)?</source>
        <translation>Läuft die Instanz, und ist sie von diesem Computer aus erreichbar (VPN, Firewall)?</translation>
    </message>
    <message>
        <source>On this computer Sipstory usually listens on port 4007 (the common compose file), 5000 (inside its container) or 3000 (a backend run from source): all were tried. For another port, add it to the address: localhost:8080.</source>
        <translation>Auf diesem Computer lauscht Sipstory meist auf Port 4007 (die übliche Compose-Datei), 5000 (in seinem Container) oder 3000 (ein aus dem Quellcode gestartetes Backend): Alle wurden versucht. Für einen anderen Port fügen Sie ihn der Adresse hinzu: localhost:8080.</translation>
    </message>
    <message>
        <source>If Sipstory is served on another port or under a path, include it: sipstory.example.com:8443 or example.com/sipstory.</source>
        <translation>Läuft Sipstory auf einem anderen Port oder unter einem Pfad, geben Sie ihn mit an: sipstory.example.com:8443 oder example.com/sipstory.</translation>
    </message>
    <message>
        <source>A web page answered where the API should be: the reverse proxy sends the API&apos;s path to the web app instead of the backend.</source>
        <translation>Wo die API sein sollte, antwortete eine Webseite: Der Reverse Proxy leitet den Pfad der API an die Web-App statt an das Backend.</translation>
    </message>
    <message>
        <source>The certificate was not accepted. A private certificate authority must be trusted by this computer.</source>
        <translation>Das Zertifikat wurde nicht akzeptiert. Einer privaten Zertifizierungsstelle muss dieser Computer vertrauen.</translation>
    </message>
    <message>
        <source>The server redirects: search again with the address it points to.</source>
        <translation>Der Server leitet weiter: Suchen Sie erneut mit der Adresse, auf die er verweist.</translation>
    </message>
    <message>
        <source>Check the address for typos, and whether it needs https:// or http://.</source>
        <translation>Prüfen Sie die Adresse auf Tippfehler und ob sie https:// oder http:// braucht.</translation>
    </message>
    <message>
        <source>Sipstory API</source>
        <translation>Sipstory-API</translation>
    </message>
    <message>
        <source>Web app</source>
        <translation>Web-App</translation>
    </message>
    <message>
        <source>Not found</source>
        <translation>Nicht gefunden</translation>
    </message>
    <message>
        <source>Redirect</source>
        <translation>Weiterleitung</translation>
    </message>
    <message>
        <source>Unreachable</source>
        <translation>Nicht erreichbar</translation>
    </message>
    <message>
        <source>Timed out</source>
        <translation>Zeitüberschreitung</translation>
    </message>
    <message>
        <source>TLS error</source>
        <translation>TLS-Fehler</translation>
    </message>
    <message>
        <source>Other answer</source>
        <translation>Andere Antwort</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <source>Import entries</source>
        <translation>Einträge importieren</translation>
    </message>
    <message>
        <source>{n} added</source>
        <translation>{n} hinzugefügt</translation>
    </message>
    <message>
        <source>{n} added under a new name</source>
        <translation>{n} unter neuem Namen hinzugefügt</translation>
    </message>
    <message>
        <source>{n} replaced</source>
        <translation>{n} ersetzt</translation>
    </message>
    <message>
        <source>{n} skipped</source>
        <translation>{n} übersprungen</translation>
    </message>
    <message>
        <source>{n} already there</source>
        <translation>{n} schon vorhanden</translation>
    </message>
    <message>
        <source>Imported: {parts}.</source>
        <translation>Importiert: {parts}.</translation>
    </message>
    <message>
        <source>These entries have no key yet: {names}. Select each one and use Replace key.</source>
        <translation>Diese Einträge haben noch keinen Schlüssel: {names}. Wählen Sie jeden aus und verwenden Sie „Schlüssel ersetzen“.</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>1 conflict</source>
        <translation>1 Konflikt</translation>
    </message>
    <message>
        <source>{n} conflicts</source>
        <translation>{n} Konflikte</translation>
    </message>
    <message>
        <source>{new} new, {same} already there, {conflicts}</source>
        <translation>{new} neu, {same} schon vorhanden, {conflicts}</translation>
    </message>
    <message>
        <source>Entries in the file</source>
        <translation>Einträge in der Datei</translation>
    </message>
    <message>
        <source>Entry</source>
        <translation>Eintrag</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>Importieren</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>Keys are not part of an export. Each entry this import adds arrives without its key: select it afterwards and use Replace key.</source>
        <translation>Schlüssel gehören nicht zu einem Export. Jeder Eintrag, den dieser Import hinzufügt, kommt ohne seinen Schlüssel: Wählen Sie ihn danach aus und verwenden Sie „Schlüssel ersetzen“.</translation>
    </message>
    <message>
        <source>Found the keys of {n} of {total} new entries in the keyring (a shared vault): {names}.</source>
        <translation>Die Schlüssel von {n} der {total} neuen Einträge wurden im Schlüsselbund gefunden (ein geteilter Tresor): {names}.</translation>
    </message>
    <message>
        <source>S&amp;kip all conflicts</source>
        <translation>Alle Konflikte ü&amp;berspringen</translation>
    </message>
    <message>
        <source>Skip all conflicts</source>
        <translation>Alle Konflikte überspringen</translation>
    </message>
    <message>
        <source>&amp;Import</source>
        <translation>&amp;Importieren</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>New</source>
        <translation>Neu</translation>
    </message>
    <message>
        <source>Already there</source>
        <translation>Schon vorhanden</translation>
    </message>
    <message>
        <source>Conflict</source>
        <translation>Konflikt</translation>
    </message>
    <message>
        <source>Choose below</source>
        <translation>Unten auswählen</translation>
    </message>
    <message>
        <source>What to do with {name}:</source>
        <translation>Was mit {name} geschehen soll:</translation>
    </message>
    <message>
        <source>Conflicts</source>
        <translation>Konflikte</translation>
    </message>
    <message>
        <source>What to do with {name}</source>
        <translation>Was mit {name} geschehen soll</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Auswählen…</translation>
    </message>
    <message>
        <source>Skip: keep the saved entry</source>
        <translation>Überspringen: den gespeicherten Eintrag behalten</translation>
    </message>
    <message>
        <source>Rename to “{name}”</source>
        <translation>In „{name}“ umbenennen</translation>
    </message>
    <message>
        <source>Replace the saved entry</source>
        <translation>Den gespeicherten Eintrag ersetzen</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Base URL</source>
        <translation>Basis-URL</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Notiz</translation>
    </message>
    <message>
        <source>Sipstory Cloud</source>
        <translation>Sipstory Cloud</translation>
    </message>
    <message>
        <source>Self-hosted instance</source>
        <translation>Selbst gehostete Instanz</translation>
    </message>
    <message>
        <source>Custom base URL</source>
        <translation>Eigene Basis-URL</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(keine)</translation>
    </message>
    <message>
        <source>{field}: {old} → {new}</source>
        <translation>{field}: {old} → {new}</translation>
    </message>
    <message>
        <source>Every entry in this file is already here: there is nothing to import.</source>
        <translation>Jeder Eintrag dieser Datei ist schon vorhanden: Es gibt nichts zu importieren.</translation>
    </message>
    <message>
        <source>Choose what to do with the conflict.</source>
        <translation>Wählen Sie, was mit dem Konflikt geschehen soll.</translation>
    </message>
    <message>
        <source>Choose what to do with {n} conflicts.</source>
        <translation>Wählen Sie, was mit den {n} Konflikten geschehen soll.</translation>
    </message>
    <message>
        <source>Importing…</source>
        <translation>Wird importiert…</translation>
    </message>
</context>
<context>
    <name>KeyCommands</name>
    <message>
        <source>The key was cleared from the clipboard.</source>
        <translation>Der Schlüssel wurde aus der Zwischenablage gelöscht.</translation>
    </message>
    <message>
        <source>The key is still on the clipboard: on Wayland only the app in front may clear it. It will be cleared when you come back to Sipstory Desktop.</source>
        <translation>Der Schlüssel ist noch in der Zwischenablage: Unter Wayland darf nur die App im Vordergrund sie leeren. Sie wird geleert, sobald Sie zu Sipstory Desktop zurückkehren.</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>Schlüssel</translation>
    </message>
    <message>
        <source>A curl command with the key</source>
        <translation>Ein curl-Befehl mit dem Schlüssel</translation>
    </message>
    <message>
        <source>An environment line with the key</source>
        <translation>Eine Umgebungszeile mit dem Schlüssel</translation>
    </message>
    <message>
        <source>No key stored</source>
        <translation>Kein Schlüssel gespeichert</translation>
    </message>
    <message>
        <source>The keyring holds no key for “%s”. Use Replace key to store it again.</source>
        <translation>Der Schlüsselbund enthält keinen Schlüssel für „%s“. Verwenden Sie „Schlüssel ersetzen“, um ihn erneut zu speichern.</translation>
    </message>
    <message>
        <source>Could not read the key</source>
        <translation>Der Schlüssel konnte nicht gelesen werden</translation>
    </message>
    <message>
        <source>%s copied. It will be cleared from the clipboard in 30 s.</source>
        <translation>%s kopiert. In 30 s wird es aus der Zwischenablage gelöscht.</translation>
    </message>
</context>
<context>
    <name>KeySection</name>
    <message>
        <source>API key</source>
        <translation>API-Schlüssel</translation>
    </message>
    <message>
        <source>Paste the API key</source>
        <translation>API-Schlüssel einfügen</translation>
    </message>
    <message>
        <source>Find your key in Sipstory: Settings → Developers → API Key.</source>
        <translation>Ihren Schlüssel finden Sie in Sipstory unter Settings → Developers → API Key.</translation>
    </message>
    <message>
        <source>The key will be stored in the system keyring.</source>
        <translation>Der Schlüssel wird im Schlüsselbund des Systems gespeichert.</translation>
    </message>
    <message>
        <source>No keyring is available: the key cannot be saved until there is one.</source>
        <translation>Kein Schlüsselbund verfügbar: Der Schlüssel kann erst gespeichert werden, wenn es einen gibt.</translation>
    </message>
    <message>
        <source>The key will be stored in %s, which does NOT encrypt it.</source>
        <translation>Der Schlüssel wird in %s gespeichert, das ihn NICHT verschlüsselt.</translation>
    </message>
    <message>
        <source>The key will be stored in %s, in the group of the open database that KeePassXC shares: everyone who opens that database can use it.</source>
        <translation>Der Schlüssel wird in %s gespeichert, in der Gruppe der geöffneten Datenbank, die KeePassXC freigibt: Jeder, der diese Datenbank öffnet, kann ihn verwenden.</translation>
    </message>
    <message>
        <source>The key will be stored in %s, encrypted.</source>
        <translation>Der Schlüssel wird verschlüsselt in %s gespeichert.</translation>
    </message>
    <message>
        <source>The &apos;Bearer &apos; prefix will be removed: Sipstory expects the raw key.</source>
        <translation>Das Präfix „Bearer “ wird entfernt: Sipstory erwartet den reinen Schlüssel.</translation>
    </message>
    <message>
        <source>Hide the key</source>
        <translation>Schlüssel verbergen</translation>
    </message>
    <message>
        <source>Show the key</source>
        <translation>Schlüssel anzeigen</translation>
    </message>
</context>
<context>
    <name>KeyringStatus</name>
    <message>
        <source>Looking for the keyring…</source>
        <translation>Schlüsselbund wird gesucht…</translation>
    </message>
    <message>
        <source>Which keyring holds the keys</source>
        <translation>Welcher Schlüsselbund die Schlüssel enthält</translation>
    </message>
    <message>
        <source>Looking for the keyring</source>
        <translation>Schlüsselbund wird gesucht</translation>
    </message>
    <message>
        <source>Keyring: encrypted</source>
        <translation>Schlüsselbund: verschlüsselt</translation>
    </message>
    <message>
        <source>Keyring: NOT encrypted</source>
        <translation>Schlüsselbund: NICHT verschlüsselt</translation>
    </message>
    <message>
        <source>secure</source>
        <translation>sicher</translation>
    </message>
    <message>
        <source>NOT encrypted</source>
        <translation>NICHT verschlüsselt</translation>
    </message>
    <message>
        <source>Keys in %s (%s)</source>
        <translation>Schlüssel in %s (%s)</translation>
    </message>
    <message>
        <source>Your keys are stored without encryption.</source>
        <translation>Ihre Schlüssel werden unverschlüsselt gespeichert.</translation>
    </message>
    <message>
        <source>The keyring in use, %s, keeps keys in a plain file. Install a system keyring (GNOME Keyring, KWallet) and restart.</source>
        <translation>Der verwendete Schlüsselbund, %s, speichert Schlüssel in einer einfachen Datei. Installieren Sie einen Schlüsselbund des Systems (GNOME Keyring, KWallet) und starten Sie neu.</translation>
    </message>
    <message>
        <source>No keyring</source>
        <translation>Kein Schlüsselbund</translation>
    </message>
    <message>
        <source>No system keyring is available.</source>
        <translation>Kein Schlüsselbund des Systems verfügbar.</translation>
    </message>
    <message>
        <source>The keyring could not be opened.</source>
        <translation>Der Schlüsselbund konnte nicht geöffnet werden.</translation>
    </message>
    <message>
        <source>Your entries are listed, but keys cannot be stored, read or checked until then.</source>
        <translation>Ihre Einträge werden angezeigt, aber Schlüssel können bis dahin nicht gespeichert, gelesen oder geprüft werden.</translation>
    </message>
    <message>
        <source>The keys are kept, but cannot be read until it is unlocked. Unlock asks it to show its own prompt; answer it there.</source>
        <translation>Die Schlüssel bleiben erhalten, können aber erst nach dem Entsperren gelesen werden. „Entsperren“ bittet ihn, seine eigene Abfrage zu zeigen; beantworten Sie sie dort.</translation>
    </message>
    <message>
        <source>&amp;Unlock</source>
        <translation>&amp;Entsperren</translation>
    </message>
    <message>
        <source>Asking %s to unlock: answer its prompt (waiting up to %d s)…</source>
        <translation>Entsperren angefragt (%s): Beantworten Sie dessen Abfrage (bis zu %d s Wartezeit)…</translation>
    </message>
    <message>
        <source>the keyring</source>
        <translation>Schlüsselbund</translation>
    </message>
    <message>
        <source>%s is unlocked.</source>
        <translation>%s ist entsperrt.</translation>
    </message>
    <message>
        <source>The keyring</source>
        <translation>Der Schlüsselbund</translation>
    </message>
    <message>
        <source>The keyring stays locked.</source>
        <translation>Der Schlüsselbund bleibt gesperrt.</translation>
    </message>
    <message>
        <source>Its prompt was dismissed. Unlock it in its own window, or try again.</source>
        <translation>Seine Abfrage wurde abgelehnt. Entsperren Sie ihn in seinem eigenen Fenster oder versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>The keyring could not be unlocked.</source>
        <translation>Der Schlüsselbund konnte nicht entsperrt werden.</translation>
    </message>
    <message>
        <source>Waiting for %s: allow Sipstory Desktop to read the keys in its prompt.</source>
        <translation>Warte auf %s: Erlauben Sie Sipstory Desktop in dessen Abfrage, die Schlüssel zu lesen.</translation>
    </message>
</context>
<context>
    <name>ListLoader</name>
    <message>
        <source>Your config was repaired.</source>
        <translation>Ihre Konfiguration wurde repariert.</translation>
    </message>
    <message>
        <source>The config cannot be read.</source>
        <translation>Die Konfiguration kann nicht gelesen werden.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source> — Demo</source>
        <translation> – Demo</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>Finishing the running checks…</source>
        <translation>Laufende Prüfungen werden abgeschlossen…</translation>
    </message>
</context>
<context>
    <name>NameSection</name>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>e.g. Acme Corp (production)</source>
        <translation>z. B. Acme Corp (Produktion)</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>A name has at most {limit} characters: the field takes no more, and a longer name pasted here is cut.</source>
        <translation>Ein Name hat höchstens {limit} Zeichen: Das Feld nimmt nicht mehr an, und ein längerer eingefügter Name wird gekürzt.</translation>
    </message>
    <message>
        <source>{length} of at most {limit} characters.</source>
        <translation>{length} von höchstens {limit} Zeichen.</translation>
    </message>
    <message>
        <source>There is already a key called “{name}”.</source>
        <translation>Es gibt schon einen Schlüssel namens „{name}“.</translation>
    </message>
</context>
<context>
    <name>NoteSection</name>
    <message>
        <source>Note</source>
        <translation>Notiz</translation>
    </message>
    <message>
        <source>Optional: whose key this is, what it is for…</source>
        <translation>Optional: wessen Schlüssel das ist, wofür er dient…</translation>
    </message>
    <message>
        <source>N&amp;ote:</source>
        <translation>N&amp;otiz:</translation>
    </message>
    <message>
        <source>The note is longer than {count} characters.</source>
        <translation>Die Notiz ist länger als {count} Zeichen.</translation>
    </message>
</context>
<context>
    <name>OrphansDialog</name>
    <message>
        <source>Orphaned keys</source>
        <translation>Verwaiste Schlüssel</translation>
    </message>
    <message>
        <source>An orphaned key is one this app stored in the keyring that no entry uses. It is left behind when adding or removing an entry is interrupted, or when an entry is removed while the keyring is locked. Deleting it changes no entry.</source>
        <translation>Ein verwaister Schlüssel ist einer, den diese App im Schlüsselbund gespeichert hat und den kein Eintrag verwendet. Er bleibt zurück, wenn das Hinzufügen oder Entfernen eines Eintrags unterbrochen wird oder ein Eintrag bei gesperrtem Schlüsselbund entfernt wird. Ihn zu löschen ändert keinen Eintrag.</translation>
    </message>
    <message>
        <source>&amp;Delete from keyring</source>
        <translation>Aus dem Schlüsselbund &amp;löschen</translation>
    </message>
    <message>
        <source>Delete from keyring</source>
        <translation>Aus dem Schlüsselbund löschen</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>&amp;Keys that no entry uses:</source>
        <translation>&amp;Schlüssel, die kein Eintrag verwendet:</translation>
    </message>
    <message>
        <source>Nothing to clean: every key this app stored belongs to an entry.</source>
        <translation>Nichts aufzuräumen: Jeder von dieser App gespeicherte Schlüssel gehört zu einem Eintrag.</translation>
    </message>
    <message>
        <source>Deleted 1 key from the keyring.</source>
        <translation>1 Schlüssel aus dem Schlüsselbund gelöscht.</translation>
    </message>
    <message>
        <source>Deleted {n} keys from the keyring.</source>
        <translation>{n} Schlüssel aus dem Schlüsselbund gelöscht.</translation>
    </message>
    <message>
        <source>Nothing is left to clean.</source>
        <translation>Es gibt nichts mehr aufzuräumen.</translation>
    </message>
    <message>
        <source>Deleting…</source>
        <translation>Wird gelöscht…</translation>
    </message>
    <message>
        <source>Delete orphaned keys</source>
        <translation>Verwaiste Schlüssel löschen</translation>
    </message>
    <message>
        <source>Delete 1 orphaned key from the keyring?</source>
        <translation>1 verwaisten Schlüssel aus dem Schlüsselbund löschen?</translation>
    </message>
    <message>
        <source>Delete {n} orphaned keys from the keyring?</source>
        <translation>{n} verwaiste Schlüssel aus dem Schlüsselbund löschen?</translation>
    </message>
    <message>
        <source>No entry uses them. A deleted key cannot be recovered from the keyring.</source>
        <translation>Kein Eintrag verwendet sie. Ein gelöschter Schlüssel lässt sich aus dem Schlüsselbund nicht wiederherstellen.</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
</context>
<context>
    <name>ResultPanel</name>
    <message>
        <source>Check result</source>
        <translation>Prüfergebnis</translation>
    </message>
    <message>
        <source>You changed the address or the key after this test started.</source>
        <translation>Sie haben die Adresse oder den Schlüssel geändert, nachdem diese Prüfung begonnen hat.</translation>
    </message>
</context>
<context>
    <name>ServerSection</name>
    <message>
        <source>Sipstory C&amp;loud</source>
        <translation>Sipstory C&amp;loud</translation>
    </message>
    <message>
        <source>Sipstory Cloud</source>
        <translation>Sipstory Cloud</translation>
    </message>
    <message>
        <source>&amp;Self-hosted instance</source>
        <translation>&amp;Selbst gehostete Instanz</translation>
    </message>
    <message>
        <source>Self-hosted instance</source>
        <translation>Selbst gehostete Instanz</translation>
    </message>
    <message>
        <source>Custom base &amp;URL</source>
        <translation>Eigene Basis-&amp;URL</translation>
    </message>
    <message>
        <source>Custom base URL</source>
        <translation>Eigene Basis-URL</translation>
    </message>
    <message>
        <source>Instance address</source>
        <translation>Adresse der Instanz</translation>
    </message>
    <message>
        <source>Address:</source>
        <translation>Adresse:</translation>
    </message>
    <message>
        <source>URL:</source>
        <translation>URL:</translation>
    </message>
    <message>
        <source>&amp;Find API URL…</source>
        <translation>API-URL &amp;finden…</translation>
    </message>
    <message>
        <source>Find the API URL of this address</source>
        <translation>Die API-URL dieser Adresse finden</translation>
    </message>
    <message>
        <source>Try the likely API addresses of this instance (sends no key) and use the one that answers like Sipstory</source>
        <translation>Die wahrscheinlichen API-Adressen dieser Instanz versuchen (sendet keinen Schlüssel) und die verwenden, die wie Sipstory antwortet</translation>
    </message>
    <message>
        <source>Where:</source>
        <translation>Wo:</translation>
    </message>
    <message>
        <source>Base URL: {url}</source>
        <translation>Basis-URL: {url}</translation>
    </message>
    <message>
        <source>Enter your server&apos;s address, e.g. sipstory.example.com or http://localhost:4007.</source>
        <translation>Geben Sie die Adresse Ihres Servers ein, z. B. sipstory.example.com oder http://localhost:4007.</translation>
    </message>
    <message>
        <source>Enter the full API base URL, e.g. http://localhost:3000/public/v1.</source>
        <translation>Geben Sie die vollständige Basis-URL der API ein, z. B. http://localhost:3000/public/v1.</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>Wo</translation>
    </message>
</context>
<context>
    <name>StatusTexts</name>
    <message>
        <source>Connected</source>
        <translation>Verbunden</translation>
    </message>
    <message>
        <source>Rate limited</source>
        <translation>Gedrosselt</translation>
    </message>
    <message>
        <source>Invalid key</source>
        <translation>Ungültiger Schlüssel</translation>
    </message>
    <message>
        <source>No subscription</source>
        <translation>Kein Abonnement</translation>
    </message>
    <message>
        <source>Not the API</source>
        <translation>Nicht die API</translation>
    </message>
    <message>
        <source>Redirected</source>
        <translation>Weitergeleitet</translation>
    </message>
    <message>
        <source>Unreachable</source>
        <translation>Nicht erreichbar</translation>
    </message>
    <message>
        <source>Timed out</source>
        <translation>Zeitüberschreitung</translation>
    </message>
    <message>
        <source>TLS error</source>
        <translation>TLS-Fehler</translation>
    </message>
    <message>
        <source>Server error</source>
        <translation>Serverfehler</translation>
    </message>
    <message>
        <source>Unexpected answer</source>
        <translation>Unerwartete Antwort</translation>
    </message>
    <message>
        <source>No key stored</source>
        <translation>Kein Schlüssel gespeichert</translation>
    </message>
    <message>
        <source>Keyring error</source>
        <translation>Schlüsselbundfehler</translation>
    </message>
    <message>
        <source>Not checked</source>
        <translation>Nicht geprüft</translation>
    </message>
    <message>
        <source>never</source>
        <translation>nie</translation>
    </message>
    <message>
        <source>just now</source>
        <translation>gerade eben</translation>
    </message>
    <message>
        <source>%1 min ago</source>
        <translation>vor %1 Min.</translation>
    </message>
    <message>
        <source>%1 h ago</source>
        <translation>vor %1 Std.</translation>
    </message>
    <message>
        <source>%1 d ago</source>
        <translation>vor %1 T.</translation>
    </message>
</context>
<context>
    <name>TerminalCommands</name>
    <message>
        <source>Import keys from .env files</source>
        <translation>Schlüssel aus .env-Dateien importieren</translation>
    </message>
    <message>
        <source>dotenv files (.env .env.* *.env)</source>
        <translation>dotenv-Dateien (.env .env.* *.env)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Could not read the files</source>
        <translation>Die Dateien konnten nicht gelesen werden</translation>
    </message>
    <message numerus="yes">
        <source>Saved %n key(s) in the keyring.</source>
        <translation>
            <numerusform>%n Schlüssel im Schlüsselbund gespeichert.</numerusform>
            <numerusform>%n Schlüssel im Schlüsselbund gespeichert.</numerusform>
        </translation>
    </message>
    <message>
        <source>Scrubbed %s (its old version is in %s, mode 0600).</source>
        <translation>%s bereinigt (die alte Fassung liegt in %s, Modus 0600).</translation>
    </message>
</context>
<context>
    <name>TerminalUseDialog</name>
    <message>
        <source>Use “%s” in a terminal</source>
        <translation>„%s“ in einem Terminal verwenden</translation>
    </message>
    <message>
        <source>Run a command with the key in its environment:</source>
        <translation>Einen Befehl mit dem Schlüssel in seiner Umgebung ausführen:</translation>
    </message>
    <message>
        <source>Set SIPSTORY_API_KEY and SIPSTORY_API_URL in this shell (sh, zsh):</source>
        <translation>SIPSTORY_API_KEY und SIPSTORY_API_URL in dieser Shell setzen (sh, zsh):</translation>
    </message>
    <message>
        <source>The same in fish:</source>
        <translation>Dasselbe in fish:</translation>
    </message>
    <message>
        <source>In a project&apos;s .envrc (direnv), so that commands there use this entry:</source>
        <translation>In der .envrc eines Projekts (direnv), damit Befehle dort diesen Eintrag verwenden:</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <source>Copy: %s</source>
        <translation>Kopieren: %s</translation>
    </message>
    <message>
        <source>None of these lines holds the key: each asks sipstory-keys for it from the keyring when it runs. Replace COMMAND with your own. sipstory-keys run --mask hides the key in the command&apos;s output (the default when it is not a terminal).</source>
        <translation>Keine dieser Zeilen enthält den Schlüssel: Jede holt ihn beim Ausführen über sipstory-keys aus dem Schlüsselbund. Ersetzen Sie COMMAND durch Ihren eigenen Befehl. sipstory-keys run --mask verbirgt den Schlüssel in der Ausgabe des Befehls (die Vorgabe, wenn sie kein Terminal ist).</translation>
    </message>
</context>
<context>
    <name>ToolCommands</name>
    <message>
        <source>The keyring holds no key for this entry.</source>
        <translation>Der Schlüsselbund enthält keinen Schlüssel für diesen Eintrag.</translation>
    </message>
    <message>
        <source>Use Replace key to store it.</source>
        <translation>Verwenden Sie „Schlüssel ersetzen“, um ihn zu speichern.</translation>
    </message>
    <message>
        <source>Try again; if it happens again, please report it with the log.</source>
        <translation>Versuchen Sie es erneut; passiert es wieder, melden Sie es bitte mit dem Protokoll.</translation>
    </message>
    <message>
        <source>Export entries (without keys)</source>
        <translation>Einträge exportieren (ohne Schlüssel)</translation>
    </message>
    <message>
        <source>JSON files (*.json)</source>
        <translation>JSON-Dateien (*.json)</translation>
    </message>
    <message>
        <source>Exported the entries, without their keys, to %s.</source>
        <translation>Die Einträge wurden ohne ihre Schlüssel nach %s exportiert.</translation>
    </message>
    <message>
        <source>Could not export</source>
        <translation>Export fehlgeschlagen</translation>
    </message>
    <message>
        <source>Import entries</source>
        <translation>Einträge importieren</translation>
    </message>
    <message>
        <source>JSON files (*.json);;All files (*)</source>
        <translation>JSON-Dateien (*.json);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Could not read the export</source>
        <translation>Der Export konnte nicht gelesen werden</translation>
    </message>
    <message>
        <source>Found the keys of %d of %d new entries in the keyring.</source>
        <translation>Die Schlüssel von %d der %d neuen Einträge wurden im Schlüsselbund gefunden.</translation>
    </message>
    <message>
        <source>Imported entries have no key yet.</source>
        <translation>Importierte Einträge haben noch keinen Schlüssel.</translation>
    </message>
    <message>
        <source>Select each of them and use Replace key: %s.</source>
        <translation>Wählen Sie jeden davon aus und verwenden Sie „Schlüssel ersetzen“: %s.</translation>
    </message>
    <message>
        <source>Could not read the keyring</source>
        <translation>Der Schlüsselbund konnte nicht gelesen werden</translation>
    </message>
    <message>
        <source>About %s</source>
        <translation>Über %s</translation>
    </message>
    <message>
        <source>&lt;h3&gt;%s %s&lt;/h3&gt;&lt;p&gt;Keep your Sipstory API keys in the system keyring and see at a glance which ones work.&lt;/p&gt;&lt;p&gt;Application id: %s&lt;/p&gt;</source>
        <translation>&lt;h3&gt;%s %s&lt;/h3&gt;&lt;p&gt;Bewahren Sie Ihre Sipstory-API-Schlüssel im Schlüsselbund des Systems auf und sehen Sie auf einen Blick, welche funktionieren.&lt;/p&gt;&lt;p&gt;Anwendungs-ID: %s&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>Tray</name>
    <message>
        <source>&amp;Show Sipstory Desktop</source>
        <translation>Sipstory Desktop &amp;anzeigen</translation>
    </message>
    <message>
        <source>&amp;Check all now</source>
        <translation>Jetzt alle &amp;prüfen</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
</context>
<context>
    <name>WatchDialog</name>
    <message>
        <source>Watch keys</source>
        <translation>Schlüssel überwachen</translation>
    </message>
    <message>
        <source>&amp;Check every key periodically</source>
        <translation>Alle Schlüssel regelmäßig &amp;prüfen</translation>
    </message>
    <message>
        <source> min</source>
        <translation> Min.</translation>
    </message>
    <message>
        <source>Minutes between rounds</source>
        <translation>Minuten zwischen den Runden</translation>
    </message>
    <message>
        <source> per hour</source>
        <translation> pro Stunde</translation>
    </message>
    <message>
        <source>Checks per key per hour at most</source>
        <translation>Höchstens so viele Prüfungen pro Schlüssel und Stunde</translation>
    </message>
    <message>
        <source>&amp;Notify me when a key changes colour</source>
        <translation>&amp;Benachrichtigen, wenn ein Schlüssel die Farbe wechselt</translation>
    </message>
    <message>
        <source>Each check may cost one of the organization&apos;s 30 requests per hour. A round skips every key that has already used its budget in the last hour, checks made by hand included.</source>
        <translation>Jede Prüfung kann eine der 30 Anfragen pro Stunde der Organisation kosten. Eine Runde überspringt jeden Schlüssel, der sein Kontingent in der letzten Stunde schon verbraucht hat, von Hand gestartete Prüfungen eingeschlossen.</translation>
    </message>
    <message>
        <source>Check &amp;every:</source>
        <translation>&amp;Prüfintervall:</translation>
    </message>
    <message>
        <source>At &amp;most:</source>
        <translation>&amp;Höchstens:</translation>
    </message>
    <message>
        <source>Type the minutes between rounds: a number from %d to %d.</source>
        <translation>Geben Sie die Minuten zwischen den Runden ein: eine Zahl von %d bis %d.</translation>
    </message>
    <message>
        <source>Type the checks per key per hour: a number from 1 to %d.</source>
        <translation>Geben Sie die Prüfungen pro Schlüssel und Stunde ein: eine Zahl von 1 bis %d.</translation>
    </message>
    <message>
        <source>A round every %d min makes %d rounds an hour, but each key may be checked at most %d time(s) an hour: most rounds would skip every key. Check every %d min or more, or allow more checks per hour.</source>
        <translation>Eine Runde alle %d Min. ergibt %d Runden pro Stunde, aber jeder Schlüssel darf höchstens %d-mal pro Stunde geprüft werden: Die meisten Runden würden jeden Schlüssel überspringen. Prüfen Sie alle %d Min. oder seltener, oder erlauben Sie mehr Prüfungen pro Stunde.</translation>
    </message>
    <message>
        <source>%d entries hold the same key (one organization): a single round would send more than its %d requests an hour.</source>
        <translation>%d Einträge haben denselben Schlüssel (eine Organisation): Schon eine Runde würde mehr als ihre %d Anfragen pro Stunde senden.</translation>
    </message>
    <message>
        <source>%d entries hold the same key (one organization): a round every %d min sends it up to %d requests an hour, over its limit of %d. Check every %d min or more.</source>
        <translation>%d Einträge haben denselben Schlüssel (eine Organisation): Eine Runde alle %d Min. sendet bis zu %d Anfragen pro Stunde, über ihrer Grenze von %d. Prüfen Sie alle %d Min. oder seltener.</translation>
    </message>
    <message>
        <source>Watching still works while the window is open. Closing the window while watching minimises it the first time; closing it again quits.</source>
        <translation>Die Überwachung funktioniert weiter, solange das Fenster offen ist. Wird das Fenster während der Überwachung geschlossen, wird es beim ersten Mal minimiert; beim zweiten Mal wird beendet.</translation>
    </message>
</context>
<context>
    <name>WatchMode</name>
    <message>
        <source>Watching: every %d min, at most %d checks per key per hour.</source>
        <translation>Überwachung: alle %d Min., höchstens %d Prüfungen pro Schlüssel und Stunde.</translation>
    </message>
    <message>
        <source>No tray here: watching runs while the window is open.</source>
        <translation>Kein Infobereich vorhanden: Die Überwachung läuft, solange das Fenster offen ist.</translation>
    </message>
    <message>
        <source>%s: %d of %d keys working</source>
        <translation>%s: %d von %d Schlüsseln funktionsfähig</translation>
    </message>
    <message>
        <source>Still watching your keys from the tray. Quit from its menu.</source>
        <translation>Ihre Schlüssel werden weiter aus dem Infobereich überwacht. Beenden Sie über dessen Menü.</translation>
    </message>
    <message>
        <source>Minimised to keep watching your keys: %s Close the window again to quit.</source>
        <translation>Minimiert, um Ihre Schlüssel weiter zu überwachen: %s Schließen Sie das Fenster erneut, um zu beenden.</translation>
    </message>
    <message>
        <source>The system tray went away: the window is back, still watching.</source>
        <translation>Der Infobereich ist verschwunden: Das Fenster ist zurück und überwacht weiter.</translation>
    </message>
</context>
<context>
    <name>WindowActions</name>
    <message>
        <source>&amp;Add key…</source>
        <translation>Schlüssel &amp;hinzufügen…</translation>
    </message>
    <message>
        <source>Add a key</source>
        <translation>Schlüssel hinzufügen</translation>
    </message>
    <message>
        <source>Check &amp;all</source>
        <translation>&amp;Alle prüfen</translation>
    </message>
    <message>
        <source>Check every key</source>
        <translation>Alle Schlüssel prüfen</translation>
    </message>
    <message>
        <source>&amp;Check</source>
        <translation>&amp;Prüfen</translation>
    </message>
    <message>
        <source>Check the selected key</source>
        <translation>Den ausgewählten Schlüssel prüfen</translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation>&amp;Bearbeiten…</translation>
    </message>
    <message>
        <source>Rename the entry or change its server</source>
        <translation>Den Eintrag umbenennen oder seinen Server ändern</translation>
    </message>
    <message>
        <source>Re&amp;place key…</source>
        <translation>Schlüssel e&amp;rsetzen…</translation>
    </message>
    <message>
        <source>Store a new key after a rotation</source>
        <translation>Nach einer Rotation einen neuen Schlüssel speichern</translation>
    </message>
    <message>
        <source>&amp;Remove…</source>
        <translation>&amp;Entfernen…</translation>
    </message>
    <message>
        <source>Remove the entry and delete its key</source>
        <translation>Den Eintrag entfernen und seinen Schlüssel löschen</translation>
    </message>
    <message>
        <source>Cop&amp;y key</source>
        <translation>Schlüssel &amp;kopieren</translation>
    </message>
    <message>
        <source>Copy the key; cleared from the clipboard after 30 s</source>
        <translation>Den Schlüssel kopieren; nach 30 s aus der Zwischenablage gelöscht</translation>
    </message>
    <message>
        <source>Re&amp;veal key</source>
        <translation>Schlüssel &amp;anzeigen</translation>
    </message>
    <message>
        <source>Show the key for 10 seconds</source>
        <translation>Den Schlüssel 10 Sekunden lang anzeigen</translation>
    </message>
    <message>
        <source>Copy as c&amp;url</source>
        <translation>Als c&amp;url kopieren</translation>
    </message>
    <message>
        <source>Copy a curl command that checks this key (cleared after 30 s)</source>
        <translation>Einen curl-Befehl kopieren, der diesen Schlüssel prüft (nach 30 s gelöscht)</translation>
    </message>
    <message>
        <source>Copy as e&amp;nvironment line</source>
        <translation>Als &amp;Umgebungszeile kopieren</translation>
    </message>
    <message>
        <source>Copy SIPSTORY_API_URL and SIPSTORY_API_KEY (cleared after 30 s)</source>
        <translation>SIPSTORY_API_URL und SIPSTORY_API_KEY kopieren (nach 30 s gelöscht)</translation>
    </message>
    <message>
        <source>Use in a &amp;terminal…</source>
        <translation>In einem &amp;Terminal verwenden…</translation>
    </message>
    <message>
        <source>The lines that use this key from a shell, a script or CI (no key in them)</source>
        <translation>Die Zeilen, die diesen Schlüssel aus einer Shell, einem Skript oder einer CI verwenden (ohne Schlüssel darin)</translation>
    </message>
    <message>
        <source>Cha&amp;nnels…</source>
        <translation>&amp;Kanäle…</translation>
    </message>
    <message>
        <source>The channels this key&apos;s organization can post to</source>
        <translation>Die Kanäle, in denen die Organisation dieses Schlüssels veröffentlichen kann</translation>
    </message>
    <message>
        <source>&amp;Find API URL…</source>
        <translation>API-URL &amp;finden…</translation>
    </message>
    <message>
        <source>Try the likely API addresses of this entry&apos;s instance (sends no key)</source>
        <translation>Die wahrscheinlichen API-Adressen der Instanz dieses Eintrags versuchen (sendet keinen Schlüssel)</translation>
    </message>
    <message>
        <source>&amp;Export entries…</source>
        <translation>Einträge &amp;exportieren…</translation>
    </message>
    <message>
        <source>Save the entries, without their keys, to a file</source>
        <translation>Die Einträge ohne ihre Schlüssel in einer Datei speichern</translation>
    </message>
    <message>
        <source>&amp;Import entries…</source>
        <translation>Einträge &amp;importieren…</translation>
    </message>
    <message>
        <source>Add entries from an export, with a preview</source>
        <translation>Einträge aus einem Export hinzufügen, mit Vorschau</translation>
    </message>
    <message>
        <source>Import &amp;keys from .env files…</source>
        <translation>&amp;Schlüssel aus .env-Dateien importieren…</translation>
    </message>
    <message>
        <source>Move Sipstory keys written in .env files into the keyring</source>
        <translation>In .env-Dateien geschriebene Sipstory-Schlüssel in den Schlüsselbund verschieben</translation>
    </message>
    <message>
        <source>Clean up &amp;orphaned keys…</source>
        <translation>&amp;Verwaiste Schlüssel aufräumen…</translation>
    </message>
    <message>
        <source>Keys of this app in the keyring that no entry uses</source>
        <translation>Schlüssel dieser App im Schlüsselbund, die kein Eintrag verwendet</translation>
    </message>
    <message>
        <source>&amp;Filter</source>
        <translation>&amp;Filtern</translation>
    </message>
    <message>
        <source>Filter the list</source>
        <translation>Die Liste filtern</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>Quit after the running checks</source>
        <translation>Nach den laufenden Prüfungen beenden</translation>
    </message>
    <message>
        <source>&amp;Watch…</source>
        <translation>&amp;Überwachen…</translation>
    </message>
    <message>
        <source>Check keys periodically</source>
        <translation>Schlüssel regelmäßig prüfen</translation>
    </message>
    <message>
        <source>&amp;About Sipstory Desktop</source>
        <translation>&amp;Über Sipstory Desktop</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Bearbeiten</translation>
    </message>
    <message>
        <source>&amp;Keys</source>
        <translation>&amp;Schlüssel</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>Check all</source>
        <translation>Alle prüfen</translation>
    </message>
    <message>
        <source>&amp;Stop</source>
        <translation>&amp;Anhalten</translation>
    </message>
    <message>
        <source>Stop checking: keys still waiting their turn are not checked</source>
        <translation>Prüfen anhalten: Schlüssel, die noch warten, werden nicht geprüft</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>Werkzeugleiste</translation>
    </message>
    <message>
        <source>More tools</source>
        <translation>Weitere Werkzeuge</translation>
    </message>
</context>
</TS>
