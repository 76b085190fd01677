<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>CheckController</name>
    <message numerus="yes">
        <source>Stopping: %n check(s) not sent, waiting for %s on their way…</source>
        <translation>
            <numerusform>Stopping: %n check not sent, waiting for %s on their way…</numerusform>
            <numerusform>Stopping: %n checks not sent, waiting for %s on their way…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n key(s) held back after a 429 Too Many Requests: no request sent.</source>
        <translation>
            <numerusform>%n key held back after a 429 Too Many Requests: no request sent.</numerusform>
            <numerusform>%n keys held back after a 429 Too Many Requests: no request sent.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Stopped: %n key(s) not checked</source>
        <translation>
            <numerusform>Stopped: %n key not checked</numerusform>
            <numerusform>Stopped: %n keys not checked</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>EntryModel</name>
    <message numerus="yes">
        <source>%n key(s) on %s</source>
        <translation>
            <numerusform>%n key on %s</numerusform>
            <numerusform>%n keys on %s</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>EnvImportDialog</name>
    <message numerus="yes">
        <source>Checked %n key(s).</source>
        <translation>
            <numerusform>Checked %n key.</numerusform>
            <numerusform>Checked %n keys.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n other *_API_KEY line(s) left alone: not Sipstory&apos;s.</source>
        <translation>
            <numerusform>%n other *_API_KEY line left alone: not Sipstory&apos;s.</numerusform>
            <numerusform>%n other *_API_KEY lines left alone: not Sipstory&apos;s.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Checking %n key(s)…</source>
        <translation>
            <numerusform>Checking %n key…</numerusform>
            <numerusform>Checking %n keys…</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TerminalCommands</name>
    <message numerus="yes">
        <source>Saved %n key(s) in the keyring.</source>
        <translation>
            <numerusform>Saved %n key in the keyring.</numerusform>
            <numerusform>Saved %n keys in the keyring.</numerusform>
        </translation>
    </message>
</context>
</TS>
