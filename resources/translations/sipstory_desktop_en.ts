<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
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
</TS>
