<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>ActionWords</name>
    <message numerus="yes">
        <source>Sending %n document(s) to the integrations again…</source>
        <extracomment>How long the status bar keeps each message (ms): long enough to read twice.</extracomment>
        <translation>
            <numerusform>Sending %n document to the integrations again…</numerusform>
            <numerusform>Sending %n documents to the integrations again…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Trying %n document(s) again…</source>
        <translation>
            <numerusform>Trying %n document again…</numerusform>
            <numerusform>Trying %n documents again…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Delivering %n document(s) again…</source>
        <translation>
            <numerusform>Delivering %n document again…</numerusform>
            <numerusform>Delivering %n documents again…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Done: %n document(s) delivered.</source>
        <translation>
            <numerusform>Done: %n document delivered.</numerusform>
            <numerusform>Done: %n documents delivered.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n could not be delivered: see the Documents tab.</source>
        <translation>
            <numerusform>%n could not be delivered: see the Documents tab.</numerusform>
            <numerusform>%n could not be delivered: see the Documents tab.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ActivityModel</name>
    <message numerus="yes">
        <source>and %n more document(s)</source>
        <translation>
            <numerusform>and %n more document</numerusform>
            <numerusform>and %n more documents</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n picked up or moved from %1</source>
        <translation>
            <numerusform>%n picked up or moved from %1</numerusform>
            <numerusform>%n picked up or moved from %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ClientLinksView</name>
    <message numerus="yes">
        <source>%n client(s) linked to “%1”.</source>
        <translation>
            <numerusform>%n client linked to “%1”.</numerusform>
            <numerusform>%n clients linked to “%1”.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n client(s) unlinked from “%1”.</source>
        <translation>
            <numerusform>%n client unlinked from “%1”.</numerusform>
            <numerusform>%n clients unlinked from “%1”.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n client(s) left out: they do not share their documents with your office.</source>
        <translation>
            <numerusform>%n client left out: it does not share its documents with your office.</numerusform>
            <numerusform>%n clients left out: they do not share their documents with your office.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) will be saved when you finish</source>
        <translation>
            <numerusform>%n change will be saved when you finish</numerusform>
            <numerusform>%n changes will be saved when you finish</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) not saved yet</source>
        <translation>
            <numerusform>%n change not saved yet</numerusform>
            <numerusform>%n changes not saved yet</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DestinationsView</name>
    <message numerus="yes">
        <source>%n client(s)</source>
        <translation>
            <numerusform>%n client</numerusform>
            <numerusform>%n clients</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n client(s) linked to it: their documents will no longer be delivered there.</source>
        <translation>
            <numerusform>%n client linked to it: their documents will no longer be delivered there.</numerusform>
            <numerusform>%n clients linked to it: their documents will no longer be delivered there.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>It is their only destination: their documents will wait on the platform until they are linked again.</source>
        <translation>
            <numerusform>It is their only destination: their documents will wait on the platform until they are linked again.</numerusform>
            <numerusform>It is their only destination: their documents will wait on the platform until they are linked again.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>For %n of them it is the only destination: their documents will wait on the platform until they are linked again.</source>
        <translation>
            <numerusform>For %n of them it is the only destination: their documents will wait on the platform until they are linked again.</numerusform>
            <numerusform>For %n of them it is the only destination: their documents will wait on the platform until they are linked again.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DiagnosticsDialog</name>
    <message numerus="yes">
        <source> day(s)</source>
        <translation>
            <numerusform> day</numerusform>
            <numerusform> days</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message numerus="yes">
        <source>%n document(s) could not be delivered</source>
        <translation>
            <numerusform>%n document could not be delivered</numerusform>
            <numerusform>%n documents could not be delivered</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>StatusView</name>
    <message numerus="yes">
        <source>%1 shown</source>
        <translation>
            <numerusform>%1 shown</numerusform>
            <numerusform>%1 shown</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>WhoPage</name>
    <message numerus="yes">
        <source>The office has %n client(s) on the platform.</source>
        <translation>
            <numerusform>The office has %n client on the platform.</numerusform>
            <numerusform>The office has %n clients on the platform.</numerusform>
        </translation>
    </message>
</context>
</TS>
