<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="nl" sourcelanguage="en">
<context>
    <name>ActionWords</name>
    <message numerus="yes">
        <source>Sending %n document(s) to the integrations again…</source>
        <extracomment>How long the status bar keeps each message (ms): long enough to read twice.</extracomment>
        <translation>
            <numerusform>%n document wordt opnieuw naar de integraties gestuurd…</numerusform>
            <numerusform>%n documenten worden opnieuw naar de integraties gestuurd…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Trying %n document(s) again…</source>
        <translation>
            <numerusform>%n document wordt opnieuw geprobeerd…</numerusform>
            <numerusform>%n documenten worden opnieuw geprobeerd…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Delivering %n document(s) again…</source>
        <translation>
            <numerusform>%n document wordt opnieuw afgeleverd…</numerusform>
            <numerusform>%n documenten worden opnieuw afgeleverd…</numerusform>
        </translation>
    </message>
    <message>
        <source>Full sync started: Ferry compares what the platform holds with what was delivered…</source>
        <translation>Volledige synchronisatie gestart: Ferry vergelijkt wat het platform bevat met wat werd afgeleverd…</translation>
    </message>
    <message>
        <source>Syncing now…</source>
        <translation>Bezig met synchroniseren…</translation>
    </message>
    <message>
        <source>Ferry is not syncing right now: try again once it has started.</source>
        <translation>Ferry synchroniseert nu niet: probeer opnieuw zodra het gestart is.</translation>
    </message>
    <message>
        <source>Stopped before it was done; Ferry goes on with it when it starts again.</source>
        <translation>Gestopt voor het klaar was; Ferry gaat ermee verder bij de volgende start.</translation>
    </message>
    <message>
        <source>Synced: nothing new on the platform.</source>
        <translation>Gesynchroniseerd: niets nieuws op het platform.</translation>
    </message>
    <message>
        <source>Done: there was nothing to do.</source>
        <translation>Klaar: er was niets te doen.</translation>
    </message>
    <message numerus="yes">
        <source>Done: %n document(s) delivered.</source>
        <translation>
            <numerusform>Klaar: %n document afgeleverd.</numerusform>
            <numerusform>Klaar: %n documenten afgeleverd.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n could not be delivered: see the Documents tab.</source>
        <translation>
            <numerusform>%n kon niet worden afgeleverd: zie het tabblad Documenten.</numerusform>
            <numerusform>%n konden niet worden afgeleverd: zie het tabblad Documenten.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ActivityModel</name>
    <message>
        <source>interrupted after %1</source>
        <translation>onderbroken na %1</translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation>onderbroken</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 u %2 min</translation>
    </message>
    <message numerus="yes">
        <source>and %n more document(s)</source>
        <translation>
            <numerusform>en nog %n document</numerusform>
            <numerusform>en nog %n documenten</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n picked up or moved from %1</source>
        <translation>
            <numerusform>%n opgehaald of verplaatst uit %1</numerusform>
            <numerusform>%n opgehaald of verplaatst uit %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ActivityView</name>
    <message>
        <source>Incremental</source>
        <translation>Incrementeel</translation>
    </message>
    <message>
        <source>Nightly catch-up</source>
        <translation>Nachtelijke inhaalronde</translation>
    </message>
    <message>
        <source>Full sync</source>
        <translation>Volledige synchronisatie</translation>
    </message>
    <message>
        <source>Resend</source>
        <translation>Herverzending</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Nieuwe poging</translation>
    </message>
    <message>
        <source>Manual</source>
        <translation>Handmatig</translation>
    </message>
    <message>
        <source>Deliver again</source>
        <translation>Opnieuw leveren</translation>
    </message>
    <message>
        <source>Continuous sync</source>
        <translation>Doorlopende synchronisatie</translation>
    </message>
    <message>
        <source>Platform task: full sync</source>
        <translation>Platformtaak: volledige synchronisatie</translation>
    </message>
    <message>
        <source>Platform task: resend</source>
        <translation>Platformtaak: herverzending</translation>
    </message>
    <message>
        <source>Full sync of %1</source>
        <translation>Volledige synchronisatie van %1</translation>
    </message>
    <message>
        <source>Platform task: full sync of %1</source>
        <translation>Platformtaak: volledige synchronisatie van %1</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Wanneer</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Soort</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Duur</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>Documenten</translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation>Geleverd</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Mislukt</translation>
    </message>
    <message>
        <source>What failed</source>
        <translation>Wat mislukte</translation>
    </message>
    <message>
        <source>running</source>
        <translation>bezig</translation>
    </message>
</context>
<context>
    <name>AlertsSettings</name>
    <message>
        <source>Send an e-mail when delivery stops</source>
        <translation>Een e-mail sturen als de levering stilvalt</translation>
    </message>
    <message>
        <source>Recipients:</source>
        <translation>Ontvangers:</translation>
    </message>
    <message>
        <source>Mail server (SMTP):</source>
        <translation>Mailserver (SMTP):</translation>
    </message>
    <message>
        <source>Port:</source>
        <translation>Poort:</translation>
    </message>
    <message>
        <source>User:</source>
        <translation>Gebruiker:</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>Wachtwoord:</translation>
    </message>
    <message>
        <source>Sender address:</source>
        <translation>Afzenderadres:</translation>
    </message>
    <message>
        <source>Alert when nothing is delivered for (hours):</source>
        <translation>Waarschuwen als er niets geleverd wordt gedurende (uren):</translation>
    </message>
    <message>
        <source>Alert when a folder cannot be reached for (minutes):</source>
        <translation>Waarschuwen als een map onbereikbaar is gedurende (minuten):</translation>
    </message>
    <message>
        <source>Alert when Ferry&apos;s engine is not running for (minutes):</source>
        <translation>Waarschuwen als de engine van Ferry niet draait gedurende (minuten):</translation>
    </message>
    <message>
        <source>accounting@office.be, it@partner.be</source>
        <translation>boekhouding@kantoor.be, it@partner.be</translation>
    </message>
    <message>
        <source>The first recipient</source>
        <translation>De eerste ontvanger</translation>
    </message>
    <message>
        <source>None: the server takes mail without a login</source>
        <translation>Geen: de server aanvaardt mail zonder aanmelding</translation>
    </message>
    <message>
        <source>Encrypt the connection (STARTTLS)</source>
        <translation>De verbinding versleutelen (STARTTLS)</translation>
    </message>
    <message>
        <source>Also say when things are back to normal</source>
        <translation>Ook melden wanneer alles weer in orde is</translation>
    </message>
    <message>
        <source>Send a test e-mail</source>
        <translation>Testmail versturen</translation>
    </message>
    <message>
        <source>Kept in the system&apos;s password store</source>
        <translation>Bewaard in de wachtwoordkluis van het systeem</translation>
    </message>
    <message>
        <source>Type at least one address to send the alerts to.</source>
        <translation>Vul minstens één adres in om de waarschuwingen naar te sturen.</translation>
    </message>
    <message>
        <source>Type the name or address of the office&apos;s mail server.</source>
        <translation>Vul de naam of het adres van de mailserver van het kantoor in.</translation>
    </message>
    <message>
        <source>“%1” holds a space; separate addresses with commas.</source>
        <translation>“%1” bevat een spatie; scheid adressen met komma&apos;s.</translation>
    </message>
    <message>
        <source>“%1” lacks the part after the @, such as office.be.</source>
        <translation>Aan “%1” ontbreekt het deel na de @, zoals kantoor.be.</translation>
    </message>
    <message>
        <source>“%1” holds characters an e-mail address cannot have.</source>
        <translation>“%1” bevat tekens die een e-mailadres niet kan hebben.</translation>
    </message>
    <message>
        <source>“%1” is not an e-mail address (name@office.be).</source>
        <translation>“%1” is geen e-mailadres (naam@kantoor.be).</translation>
    </message>
    <message>
        <source>Sending a test e-mail…</source>
        <translation>Testmail wordt verstuurd…</translation>
    </message>
    <message>
        <source>A test e-mail went to %1.</source>
        <translation>Er ging een testmail naar %1.</translation>
    </message>
</context>
<context>
    <name>ClientLinksModel</name>
    <message>
        <source>Client</source>
        <translation>Klant</translation>
    </message>
    <message>
        <source>Accounting file id</source>
        <translation>Boekhouddossiernummer</translation>
    </message>
    <message>
        <source>VAT number</source>
        <translation>Btw-nummer</translation>
    </message>
    <message>
        <source>VAT check</source>
        <translation>Btw-controle</translation>
    </message>
    <message>
        <source>Shares documents</source>
        <translation>Deelt documenten</translation>
    </message>
    <message>
        <source>Sharing since</source>
        <translation>Deelt sinds</translation>
    </message>
    <message>
        <source>Deliver from</source>
        <translation>Leveren vanaf</translation>
    </message>
    <message>
        <source>Tick to deliver the client&apos;s documents to “%1”.</source>
        <translation>Vink aan om de documenten van de klant naar “%1” te sturen.</translation>
    </message>
    <message>
        <source>Delivered to “%1”. Untick to stop.</source>
        <translation>Wordt naar “%1” gestuurd. Vink uit om te stoppen.</translation>
    </message>
    <message>
        <source>Tick to deliver this client&apos;s documents to “%1”.</source>
        <translation>Vink aan om de documenten van deze klant naar “%1” te sturen.</translation>
    </message>
    <message>
        <source>%1 (no longer on the platform)</source>
        <translation>%1 (niet meer op het platform)</translation>
    </message>
    <message>
        <source>Valid</source>
        <translation>Geldig</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>Ja</translation>
    </message>
    <message>
        <source>No</source>
        <translation>Nee</translation>
    </message>
    <message>
        <source>From now (when saved)</source>
        <translation>Vanaf nu (bij opslaan)</translation>
    </message>
    <message>
        <source>Ferry has not heard from the platform yet; its clients come next.</source>
        <translation>Ferry heeft nog niets van het platform gehoord; de klanten volgen.</translation>
    </message>
    <message>
        <source>The platform no longer lists this client. It stays linked until you untick it.</source>
        <translation>Het platform vermeldt deze klant niet meer. Hij blijft gekoppeld tot u hem uitvinkt.</translation>
    </message>
    <message>
        <source>No accounting file id: a path that uses [accounting_file_id] cannot be built for this client. Double-click to type it.</source>
        <translation>Geen boekhouddossiernummer: een pad met [accounting_file_id] kan voor deze klant niet worden opgebouwd. Dubbelklik om het in te vullen.</translation>
    </message>
    <message>
        <source>Changed in Ferry; the platform says “%1”.</source>
        <translation>Gewijzigd in Ferry; het platform vermeldt “%1”.</translation>
    </message>
    <message>
        <source>nothing</source>
        <translation>niets</translation>
    </message>
    <message>
        <source>From the platform. Double-click to change it for Ferry.</source>
        <translation>Overgenomen van het platform. Dubbelklik om het voor Ferry te wijzigen.</translation>
    </message>
    <message>
        <source>When the client started sharing documents with your office.</source>
        <translation>Wanneer de klant documenten met uw kantoor is beginnen te delen.</translation>
    </message>
    <message>
        <source>Link the client first.</source>
        <translation>Koppel eerst de klant.</translation>
    </message>
    <message>
        <source>Only documents created from this moment on are delivered. Double-click to pick an earlier day.</source>
        <translation>Alleen documenten die vanaf dit moment zijn aangemaakt, worden geleverd. Dubbelklik om een vroegere dag te kiezen.</translation>
    </message>
    <message>
        <source>The platform no longer lists this client, so it cannot be linked again.</source>
        <translation>Het platform vermeldt deze klant niet meer, dus hij kan niet opnieuw worden gekoppeld.</translation>
    </message>
    <message>
        <source>This client does not share its documents with your office on the platform, so there is nothing to deliver. Once the client shares them, it can be linked here.</source>
        <translation>Deze klant deelt zijn documenten niet met uw kantoor op het platform, dus er is niets te leveren. Zodra de klant ze deelt, kunt u hem hier koppelen.</translation>
    </message>
    <message>
        <source>The client&apos;s file (dossier) number in the accounting software; prefilled from the platform, editable here.</source>
        <translation>Het dossiernummer van de klant in het boekhoudpakket; ingevuld vanuit het platform, hier aan te passen.</translation>
    </message>
    <message>
        <source>Whether the VAT number&apos;s check digits are right for its country.</source>
        <translation>Of de controlecijfers van het btw-nummer kloppen voor het land.</translation>
    </message>
    <message>
        <source>Only clients who share their documents with your office can be linked.</source>
        <translation>Alleen klanten die hun documenten met uw kantoor delen, kunnen worden gekoppeld.</translation>
    </message>
    <message>
        <source>Only documents created from this moment on are delivered to the destinations.</source>
        <translation>Alleen documenten die vanaf dit moment zijn aangemaakt, worden naar de bestemmingen geleverd.</translation>
    </message>
</context>
<context>
    <name>ClientLinksView</name>
    <message>
        <source>now</source>
        <extracomment>The value that means &quot;now&quot;: nothing earlier than the moment of saving. What else a person may type for a day, besides the region&apos;s own format.</extracomment>
        <translation>nu</translation>
    </message>
    <message>
        <source>Tick a destination to deliver a client&apos;s documents there. Only documents created after a client is linked are delivered, unless you pick an earlier day under “Deliver from”.</source>
        <translation>Vink een bestemming aan om de documenten van een klant daarheen te sturen. Alleen documenten die na het koppelen zijn aangemaakt, worden geleverd, tenzij u een vroegere dag kiest bij “Leveren vanaf”.</translation>
    </message>
    <message>
        <source>No destination yet: add one first (where the accounting software reads its documents), then link clients to it here.</source>
        <translation>Nog geen bestemming: voeg er eerst een toe (waar het boekhoudpakket zijn documenten leest) en koppel er hier klanten aan.</translation>
    </message>
    <message>
        <source>Add a destination…</source>
        <translation>Bestemming toevoegen…</translation>
    </message>
    <message>
        <source>Search by name, VAT number or file id</source>
        <translation>Zoeken op naam, btw-nummer of dossiernummer</translation>
    </message>
    <message>
        <source>All clients</source>
        <extracomment>The *Show* filter&apos;s choices, in English (translated when shown).</extracomment>
        <translation>Alle klanten</translation>
    </message>
    <message>
        <source>Linked</source>
        <translation>Gekoppeld</translation>
    </message>
    <message>
        <source>Not linked</source>
        <translation>Niet gekoppeld</translation>
    </message>
    <message>
        <source>Changed, not saved</source>
        <translation>Gewijzigd, niet opgeslagen</translation>
    </message>
    <message>
        <source>The destination the buttons link to or unlink from.</source>
        <translation>De bestemming waaraan de knoppen klanten koppelen of ontkoppelen.</translation>
    </message>
    <message>
        <source>New links made with the buttons deliver documents created from this day on; “now” delivers only documents created after saving.</source>
        <translation>Nieuwe koppelingen via de knoppen leveren documenten die vanaf deze dag zijn aangemaakt; “nu” levert alleen documenten die na het opslaan zijn aangemaakt.</translation>
    </message>
    <message>
        <source>Link selected</source>
        <translation>Selectie koppelen</translation>
    </message>
    <message>
        <source>Unlink selected</source>
        <translation>Selectie ontkoppelen</translation>
    </message>
    <message>
        <source>Link all shown</source>
        <translation>Alle getoonde koppelen</translation>
    </message>
    <message>
        <source>Unlink all shown</source>
        <translation>Alle getoonde ontkoppelen</translation>
    </message>
    <message>
        <source>Destination:</source>
        <translation>Bestemming:</translation>
    </message>
    <message>
        <source>Deliver from:</source>
        <translation>Leveren vanaf:</translation>
    </message>
    <message>
        <source>Revert</source>
        <translation>Wijzigingen ongedaan maken</translation>
    </message>
    <message>
        <source>Give up the changes not saved yet.</source>
        <translation>De nog niet opgeslagen wijzigingen laten vallen.</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Opslaan</translation>
    </message>
    <message numerus="yes">
        <source>%n client(s) linked to “%1”.</source>
        <translation>
            <numerusform>%n klant gekoppeld aan “%1”.</numerusform>
            <numerusform>%n klanten gekoppeld aan “%1”.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n client(s) unlinked from “%1”.</source>
        <translation>
            <numerusform>%n klant ontkoppeld van “%1”.</numerusform>
            <numerusform>%n klanten ontkoppeld van “%1”.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n client(s) left out: they do not share their documents with your office.</source>
        <translation>
            <numerusform>%n klant overgeslagen: die deelt zijn documenten niet met uw kantoor.</numerusform>
            <numerusform>%n klanten overgeslagen: die delen hun documenten niet met uw kantoor.</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing to change.</source>
        <translation>Niets te wijzigen.</translation>
    </message>
    <message>
        <source>No clients yet: your office has no clients on the platform. They appear here as soon as it lists some.</source>
        <translation>Nog geen klanten: uw kantoor heeft geen klanten op het platform. Ze verschijnen hier zodra het er vermeldt.</translation>
    </message>
    <message>
        <source>Waiting for the platform&apos;s list of clients…</source>
        <translation>Wachten op de klantenlijst van het platform…</translation>
    </message>
    <message>
        <source>%1 of %2 clients shown · %3 linked</source>
        <translation>%1 van %2 klanten getoond · %3 gekoppeld</translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) will be saved when you finish</source>
        <translation>
            <numerusform>%n wijziging wordt opgeslagen bij het voltooien</numerusform>
            <numerusform>%n wijzigingen worden opgeslagen bij het voltooien</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) not saved yet</source>
        <translation>
            <numerusform>%n wijziging nog niet opgeslagen</numerusform>
            <numerusform>%n wijzigingen nog niet opgeslagen</numerusform>
        </translation>
    </message>
    <message>
        <source>saving…</source>
        <translation>opslaan…</translation>
    </message>
    <message>
        <source>Saved. Ferry delivers to the new links from now on.</source>
        <translation>Opgeslagen. Ferry levert vanaf nu volgens de nieuwe koppelingen.</translation>
    </message>
    <message>
        <source>The links could not be saved: %1. Your changes are kept; try again.</source>
        <translation>De koppelingen konden niet worden opgeslagen: %1. Uw wijzigingen blijven bewaard; probeer het opnieuw.</translation>
    </message>
</context>
<context>
    <name>ClientPage</name>
    <message>
        <source>Your office&apos;s {platform} client</source>
        <translation>De {platform}-client van uw kantoor</translation>
    </message>
    <message>
        <source>{platform} lets Ferry log in for your office with the client id and secret {platform} registered for your office or its IT partner. Ferry then opens {platform}&apos;s login page in your browser, and keeps the secret in this computer&apos;s protected store, never in a file.</source>
        <translation>{platform} laat Ferry zich voor uw kantoor aanmelden met de client-id en het clientgeheim die {platform} voor uw kantoor of zijn IT-partner registreerde. Ferry opent daarna de aanmeldpagina van {platform} in uw browser en bewaart het geheim in de beveiligde opslag van deze computer, nooit in een bestand.</translation>
    </message>
    <message>
        <source>Redirect addresses registered with the client: {addresses}</source>
        <translation>Omleidingsadressen die bij de client geregistreerd zijn: {addresses}</translation>
    </message>
    <message>
        <source>Client id</source>
        <translation>Client-id</translation>
    </message>
    <message>
        <source>Client secret</source>
        <translation>Clientgeheim</translation>
    </message>
    <message>
        <source>Type the client id.</source>
        <translation>Typ de client-id.</translation>
    </message>
    <message>
        <source>Paste the client secret.</source>
        <translation>Plak het clientgeheim.</translation>
    </message>
</context>
<context>
    <name>CountryPage</name>
    <message>
        <source>Login server (OpenID issuer)</source>
        <translation>Aanmeldserver (OpenID-issuer)</translation>
    </message>
    <message>
        <source>Platform API address</source>
        <translation>API-adres van het platform</translation>
    </message>
    <message>
        <source>Fixed redirect ports (optional)</source>
        <translation>Vaste doorverwijspoorten (optioneel)</translation>
    </message>
    <message>
        <source>Welcome to Ferry</source>
        <translation>Welkom bij Ferry</translation>
    </message>
    <message>
        <source>Ferry brings your clients&apos; documents from the document platform into the folders your accounting software reads. First: where is your office&apos;s platform?</source>
        <translation>Ferry haalt de documenten van uw klanten van het documentplatform en zet ze in de mappen die uw boekhoudpakket leest. Eerst: waar staat het platform van uw kantoor?</translation>
    </message>
    <message>
        <source>Platform and login</source>
        <translation>Platform en aanmelding</translation>
    </message>
    <message>
        <source>Ferry&apos;s API, login in the browser (OpenID Connect)</source>
        <translation>API van Ferry, aanmelden in de browser (OpenID Connect)</translation>
    </message>
    <message>
        <source>Billit&apos;s API, with an API key and PartyID</source>
        <translation>API van Billit, met een API-sleutel en PartyID</translation>
    </message>
    <message>
        <source>Billit&apos;s API, with OAuth 2.0 (client id and secret)</source>
        <translation>API van Billit, met OAuth 2.0 (client-id en -geheim)</translation>
    </message>
    <message>
        <source>Login page address</source>
        <translation>Adres van de aanmeldpagina</translation>
    </message>
    <message>
        <source>Token address (optional)</source>
        <translation>Tokenadres (optioneel)</translation>
    </message>
    <message>
        <source>Choose where your office&apos;s platform is.</source>
        <translation>Kies waar het platform van uw kantoor staat.</translation>
    </message>
    <message>
        <source>the login server</source>
        <translation>de aanmeldserver</translation>
    </message>
    <message>
        <source>the platform API</source>
        <translation>de platform-API</translation>
    </message>
    <message>
        <source>the login page</source>
        <translation>de aanmeldpagina</translation>
    </message>
    <message>
        <source>the token endpoint</source>
        <translation>het tokenadres</translation>
    </message>
    <message>
        <source>Give the redirect ports as different numbers between 1024 and 65535, separated by commas.</source>
        <translation>Geef de doorverwijspoorten op als verschillende getallen tussen 1024 en 65535, gescheiden door komma&apos;s.</translation>
    </message>
</context>
<context>
    <name>DayEdit</name>
    <message>
        <source>Pick a day on a calendar</source>
        <translation>Een dag kiezen in de kalender</translation>
    </message>
    <message>
        <source>Type a day like {example}.</source>
        <translation>Typ een dag zoals {example}.</translation>
    </message>
    <message>
        <source>Documents cannot be delivered from a day still to come.</source>
        <translation>Documenten kunnen niet worden geleverd vanaf een dag die nog moet komen.</translation>
    </message>
    <message>
        <source>Pick a day after {day}.</source>
        <translation>Kies een dag na {day}.</translation>
    </message>
</context>
<context>
    <name>DestinationEditor</name>
    <message>
        <source>Client</source>
        <translation>Klant</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Soort</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>Map</translation>
    </message>
    <message>
        <source>Insert variable</source>
        <extracomment>Why a folder cannot be written (None: it can). Blocks: run on a worker thread. How long *Browse…* waits for the field&apos;s folder to be found on disk before it opens at the last folder browsed or the Documents folder (a dead network share must not hold it up).</extracomment>
        <translation>Variabele invoegen</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Bladeren…</translation>
    </message>
    <message>
        <source>Choose the folder the accounting software reads</source>
        <translation>Kies de map die het boekhoudpakket leest</translation>
    </message>
    <message>
        <source>UBL as received</source>
        <translation>UBL zoals ontvangen</translation>
    </message>
    <message>
        <source>UBL with its PDF beside it</source>
        <translation>UBL met de pdf ernaast</translation>
    </message>
    <message>
        <source>PDF only</source>
        <translation>Alleen pdf</translation>
    </message>
    <message>
        <source>Accounting software configuration</source>
        <translation>Configuratie van het boekhoudpakket</translation>
    </message>
    <message>
        <source>e.g. Winbooks</source>
        <translation>bv. Winbooks</translation>
    </message>
    <message>
        <source>One folder for every kind of document</source>
        <translation>Eén map voor alle soorten documenten</translation>
    </message>
    <message>
        <source>A folder per kind of document</source>
        <translation>Een map per soort document</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Naam</translation>
    </message>
    <message>
        <source>Delivery format</source>
        <translation>Leveringsformaat</translation>
    </message>
    <message>
        <source>Archive: keep it complete</source>
        <translation>Archief: volledig houden</translation>
    </message>
    <message>
        <source>Files that disappear from this destination are written again by the full sync. Leave it off for a folder your accounting software imports from: it takes files away after importing them.</source>
        <translation>Bestanden die uit deze bestemming verdwijnen, worden door de volledige synchronisatie opnieuw weggeschreven. Laat dit uit voor een map waaruit uw boekhoudpakket inleest: dat haalt de bestanden weg nadat het ze heeft ingelezen.</translation>
    </message>
    <message>
        <source>Preview for your clients</source>
        <translation>Voorbeeld voor uw klanten</translation>
    </message>
    <message>
        <source>Give this configuration a name, e.g. the accounting software&apos;s.</source>
        <translation>Geef deze configuratie een naam, bv. die van het boekhoudpakket.</translation>
    </message>
    <message>
        <source>Another configuration already has this name.</source>
        <translation>Een andere configuratie heeft al deze naam.</translation>
    </message>
    <message>
        <source>Give at least one folder: purchase invoices, sales invoices, ...</source>
        <translation>Geef minstens één map op: aankoopfacturen, verkoopfacturen, ...</translation>
    </message>
    <message>
        <source>This drive letter exists only in your session (a mapped network drive or a subst drive): the Ferry service cannot see it. Write the full path instead: {path}</source>
        <translation>Deze stationsletter bestaat alleen in uw sessie (een gekoppeld netwerkstation of een subst-station): de Ferry-service ziet ze niet. Schrijf in de plaats het volledige pad: {path}</translation>
    </message>
    <message>
        <source>Ferry cannot write there: {reason}.</source>
        <translation>Ferry kan daar niet schrijven: {reason}.</translation>
    </message>
    <message>
        <source>Not yet: {problem}</source>
        <translation>Nog niet: {problem}</translation>
    </message>
    <message>
        <source>{client} has no accounting file id, which [{name}] needs: fill in its file id in the Clients tab. Until then, its documents go to Error.</source>
        <translation>{client} heeft geen boekhouddossiernummer, nodig voor [{name}]: vul het dossiernummer in op het tabblad Klanten. Tot dan krijgen de documenten van deze klant de status Fout.</translation>
    </message>
    <message>
        <source>Until then, its documents go to Error.</source>
        <translation>Tot dan krijgen de documenten van deze klant de status Fout.</translation>
    </message>
    <message>
        <source>Link clients to see where their documents will go.</source>
        <translation>Koppel klanten om te zien waar hun documenten terechtkomen.</translation>
    </message>
    <message>
        <source>1 preview shows a problem: fix it before saving.</source>
        <translation>1 voorbeeld toont een probleem: los het op voor u opslaat.</translation>
    </message>
    <message>
        <source>{count} previews show a problem: fix them before saving.</source>
        <translation>{count} voorbeelden tonen een probleem: los ze op voor u opslaat.</translation>
    </message>
    <message>
        <source>1 client lacks a value this path needs: its documents will go to Error until it is filled in. You can save all the same.</source>
        <translation>Bij 1 klant ontbreekt een waarde die dit pad nodig heeft: de documenten van deze klant krijgen de status Fout tot die is ingevuld. U kunt toch opslaan.</translation>
    </message>
    <message>
        <source>{count} clients lack a value this path needs: their documents will go to Error until it is filled in. You can save all the same.</source>
        <translation>Bij {count} klanten ontbreekt een waarde die dit pad nodig heeft: hun documenten krijgen de status Fout tot die is ingevuld. U kunt toch opslaan.</translation>
    </message>
</context>
<context>
    <name>DestinationsPage</name>
    <message>
        <source>Add…</source>
        <translation>Toevoegen…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Wijzigen…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Verwijderen</translation>
    </message>
    <message>
        <source>Where documents go</source>
        <translation>Waar de documenten heen gaan</translation>
    </message>
    <message>
        <source>Add the folders your accounting software imports from (Winbooks, Adsolut, an archive...). Each one is a configuration with a name, one folder or a folder per kind of document, and the format to deliver. Paths may hold variables such as [enterprise_name] or [year].</source>
        <translation>Voeg de mappen toe waaruit uw boekhoudpakket importeert (Winbooks, Adsolut, een archief...). Elke map is een configuratie met een naam, één map of een map per soort document, en het leveringsformaat. Paden mogen variabelen bevatten, zoals [enterprise_name] of [year].</translation>
    </message>
    <message>
        <source>Add at least one to go on.</source>
        <translation>Voeg er minstens één toe om verder te gaan.</translation>
    </message>
</context>
<context>
    <name>DestinationsView</name>
    <message>
        <source>Add…</source>
        <translation>Toevoegen…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Wijzigen…</translation>
    </message>
    <message>
        <source>Remove…</source>
        <translation>Verwijderen…</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Naam</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>Formaat</translation>
    </message>
    <message>
        <source>Folders</source>
        <translation>Mappen</translation>
    </message>
    <message>
        <source>Linked clients</source>
        <translation>Gekoppelde klanten</translation>
    </message>
    <message>
        <source>UBL only</source>
        <translation>Alleen UBL</translation>
    </message>
    <message>
        <source>UBL and PDF</source>
        <translation>UBL en pdf</translation>
    </message>
    <message>
        <source>PDF only</source>
        <translation>Alleen pdf</translation>
    </message>
    <message>
        <source>{kind}: {path}</source>
        <translation>{kind}: {path}</translation>
    </message>
    <message numerus="yes">
        <source>%n client(s)</source>
        <translation>
            <numerusform>%n klant</numerusform>
            <numerusform>%n klanten</numerusform>
        </translation>
    </message>
    <message>
        <source>There is no destination yet. Use Add… to choose the folders your accounting software imports its documents from.</source>
        <translation>Er is nog geen bestemming. Gebruik Toevoegen… om de mappen te kiezen waaruit uw boekhoudsoftware de documenten importeert.</translation>
    </message>
    <message numerus="yes">
        <source>%n client(s) linked to it: their documents will no longer be delivered there.</source>
        <translation>
            <numerusform>%n klant is eraan gekoppeld: de documenten van die klant worden er niet meer geleverd.</numerusform>
            <numerusform>%n klanten zijn eraan gekoppeld: hun documenten worden er niet meer geleverd.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>It is their only destination: their documents will wait on the platform until they are linked again.</source>
        <translation>
            <numerusform>Het is de enige bestemming van die klant: de documenten wachten op het platform tot de klant opnieuw gekoppeld wordt.</numerusform>
            <numerusform>Het is hun enige bestemming: hun documenten wachten op het platform tot ze opnieuw gekoppeld worden.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>For %n of them it is the only destination: their documents will wait on the platform until they are linked again.</source>
        <translation>
            <numerusform>Voor %n van hen is het de enige bestemming: de documenten van die klant wachten op het platform tot de klant opnieuw gekoppeld wordt.</numerusform>
            <numerusform>Voor %n van hen is het de enige bestemming: hun documenten wachten op het platform tot ze opnieuw gekoppeld worden.</numerusform>
        </translation>
    </message>
    <message>
        <source>Files already delivered there stay where they are.</source>
        <translation>Bestanden die er al geleverd zijn, blijven waar ze staan.</translation>
    </message>
    <message>
        <source>Remove destination</source>
        <translation>Bestemming verwijderen</translation>
    </message>
    <message>
        <source>Remove the destination &quot;{name}&quot;?</source>
        <translation>De bestemming “{name}” verwijderen?</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Verwijderen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuleren</translation>
    </message>
</context>
<context>
    <name>DiagnosticsDialog</name>
    <message>
        <source>Export diagnostics</source>
        <translation>Diagnose exporteren</translation>
    </message>
    <message>
        <source>One zip for Ferry&apos;s support: logs, versions, settings and a summary of the state. It never holds a password or a token.</source>
        <translation>Eén zip voor de ondersteuning van Ferry: logboeken, versies, instellingen en een overzicht van de toestand. Er staat nooit een wachtwoord of token in.</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>Periode</translation>
    </message>
    <message>
        <source>Replace client and file names with codes</source>
        <translation>Klant- en bestandsnamen vervangen door codes</translation>
    </message>
    <message>
        <source>Save…</source>
        <translation>Bewaren…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Sluiten</translation>
    </message>
    <message>
        <source>Show in folder</source>
        <translation>Tonen in de map</translation>
    </message>
    <message>
        <source>the last </source>
        <comment>before a number of days</comment>
        <translation>de laatste </translation>
    </message>
    <message numerus="yes">
        <source> day(s)</source>
        <translation>
            <numerusform> dag</numerusform>
            <numerusform> dagen</numerusform>
        </translation>
    </message>
    <message>
        <source>Save diagnostics</source>
        <translation>Diagnose bewaren</translation>
    </message>
    <message>
        <source>Zip files (*.zip)</source>
        <translation>Zip-bestanden (*.zip)</translation>
    </message>
    <message>
        <source>Saving the diagnostics…</source>
        <translation>De diagnose wordt bewaard…</translation>
    </message>
    <message>
        <source>Diagnostics saved to %1 (%2).</source>
        <translation>Diagnose bewaard in %1 (%2).</translation>
    </message>
    <message>
        <source>The diagnostics cannot be saved: %1</source>
        <translation>De diagnose kan niet worden bewaard: %1</translation>
    </message>
</context>
<context>
    <name>DocumentDetails</name>
    <message>
        <source>Document %1</source>
        <translation>Document %1</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>Klant</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Soort</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>Nummer</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Datum</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Bedrag</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Last attempt</source>
        <translation>Laatste poging</translation>
    </message>
    <message>
        <source>not yet</source>
        <translation>nog niet</translation>
    </message>
    <message>
        <source>Next try</source>
        <translation>Volgende poging</translation>
    </message>
    <message>
        <source>Document id</source>
        <translation>Document-id</translation>
    </message>
    <message>
        <source>Double-click a file to open it.</source>
        <translation>Dubbelklik op een bestand om het te openen.</translation>
    </message>
    <message>
        <source>Written to</source>
        <translation>Geschreven naar</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Bericht</translation>
    </message>
    <message>
        <source>Open file</source>
        <translation>Bestand openen</translation>
    </message>
    <message>
        <source>Open folder</source>
        <translation>Map openen</translation>
    </message>
    <message>
        <source>Ferry delivered this document to %1, and its files are no longer where Ferry wrote them: the accounting software picked them up (it usually moves or deletes a file once it has imported it), or someone moved them. Ferry does not write them again by itself, so nothing is booked twice. If the accounting software needs them again, select the document and use Deliver again here: Ferry writes it again into the destinations it was delivered to.</source>
        <translation>Ferry heeft dit document geleverd aan %1, en de bestanden staan niet meer waar Ferry ze heeft weggeschreven: het boekhoudpakket heeft ze opgehaald (het verplaatst of verwijdert een bestand meestal nadat het is ingelezen), of iemand heeft ze verplaatst. Ferry schrijft ze niet vanzelf opnieuw weg, zodat niets twee keer geboekt wordt. Heeft het boekhoudpakket ze opnieuw nodig, selecteer dan het document en kies Hier opnieuw leveren: Ferry schrijft het opnieuw weg in de bestemmingen waaraan het geleverd werd.</translation>
    </message>
</context>
<context>
    <name>DocumentsModel</name>
    <message>
        <source>Client</source>
        <translation>Klant</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Soort</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>Nummer</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Datum</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Bedrag</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Destination path</source>
        <translation>Bestemmingspad</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Bericht</translation>
    </message>
    <message>
        <source>Last attempt</source>
        <translation>Laatste poging</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>Wachtend</translation>
    </message>
    <message>
        <source>Picked up or moved from %1</source>
        <translation>Opgehaald of verplaatst uit %1</translation>
    </message>
</context>
<context>
    <name>ErrorNotifier</name>
    <message>
        <source>Login needed</source>
        <extracomment>Called with the engine-down alert&apos;s beginning and end (on the GUI thread).</extracomment>
        <translation>Aanmelding vereist</translation>
    </message>
    <message>
        <source>The platform no longer accepts Ferry&apos;s login, so no documents are delivered. Open Ferry to log in again.</source>
        <translation>Het platform aanvaardt de aanmelding van Ferry niet meer, dus er worden geen documenten geleverd. Open Ferry om opnieuw aan te melden.</translation>
    </message>
    <message>
        <source>A document could not be delivered</source>
        <translation>Een document kon niet worden geleverd</translation>
    </message>
    <message>
        <source>%1 documents could not be delivered</source>
        <translation>%1 documenten konden niet worden geleverd</translation>
    </message>
    <message>
        <source>%1 could not be delivered: </source>
        <translation>%1 kon niet worden geleverd: </translation>
    </message>
    <message>
        <source>%1 and 1 other document could not be delivered: </source>
        <translation>%1 en 1 ander document konden niet worden geleverd: </translation>
    </message>
    <message>
        <source>%1 and %2 other documents could not be delivered: </source>
        <translation>%1 en %2 andere documenten konden niet worden geleverd: </translation>
    </message>
    <message>
        <source> (and 1 other problem)</source>
        <translation> (en 1 ander probleem)</translation>
    </message>
    <message>
        <source> (and %1 other problems)</source>
        <translation> (en %1 andere problemen)</translation>
    </message>
    <message>
        <source>A document</source>
        <translation>Een document</translation>
    </message>
    <message>
        <source>Invoice %1</source>
        <translation>Factuur %1</translation>
    </message>
    <message>
        <source>Statement %1</source>
        <translation>Uittreksel %1</translation>
    </message>
    <message>
        <source>Receipt %1</source>
        <translation>Ontvangstbewijs %1</translation>
    </message>
    <message>
        <source>Document %1</source>
        <translation>Document %1</translation>
    </message>
</context>
<context>
    <name>FerryApp</name>
    <message>
        <source>Starting the sandbox platform…</source>
        <extracomment>How often the window looks for an engine that stopped, and how long it waits for one before it syncs by itself. In the state folder once the person was told that Ferry goes on in the tray. Our own engine process, or the engine a service or ``ferry run`` hosts.</extracomment>
        <translation>Het sandboxplatform start…</translation>
    </message>
    <message>
        <source>The sandbox platform could not start</source>
        <translation>Het sandboxplatform kon niet starten</translation>
    </message>
    <message>
        <source>Ferry cannot be set up</source>
        <translation>Ferry kan niet worden ingesteld</translation>
    </message>
    <message>
        <source>Setting up Ferry</source>
        <translation>Ferry instellen</translation>
    </message>
    <message>
        <source>The sandbox platform of this computer could not start</source>
        <translation>Het sandboxplatform van deze computer kon niet starten</translation>
    </message>
    <message>
        <source>The history could not be read</source>
        <translation>De geschiedenis kon niet worden gelezen</translation>
    </message>
    <message>
        <source>Ferry is not logged in.</source>
        <translation>Ferry is niet aangemeld.</translation>
    </message>
    <message>
        <source>The settings cannot be read</source>
        <translation>De instellingen kunnen niet worden gelezen</translation>
    </message>
    <message>
        <source>Ferry could not start syncing</source>
        <translation>Ferry kon de synchronisatie niet starten</translation>
    </message>
    <message>
        <source>The Ferry engine stopped; waiting for it to start again…</source>
        <translation>De Ferry-engine is gestopt; wachten tot hij opnieuw start…</translation>
    </message>
    <message>
        <source>The Ferry service logs in for the whole computer</source>
        <translation>De Ferry-service meldt zich aan voor de hele computer</translation>
    </message>
    <message>
        <source>An administrator logs it in again, or out, in a command prompt run as administrator: {login} (or {logout}).</source>
        <translation>Een beheerder meldt hem opnieuw aan, of af, in een opdrachtprompt die als beheerder draait: {login} (of {logout}).</translation>
    </message>
    <message>
        <source>Ferry is still running</source>
        <translation>Ferry werkt nog</translation>
    </message>
    <message>
        <source>Ferry keeps delivering documents in the background. Open it again from its icon in the notification area, near the clock.</source>
        <translation>Ferry blijft documenten op de achtergrond afleveren. Open het opnieuw via het pictogram in het systeemvak, bij de klok.</translation>
    </message>
    <message>
        <source>Log out</source>
        <translation>Afmelden</translation>
    </message>
    <message>
        <source>Log out {who}? Ferry stops syncing until somebody logs in again; the destinations and client links are kept.</source>
        <translation>{who} afmelden? Ferry stopt met synchroniseren tot iemand zich opnieuw aanmeldt; de bestemmingen en klantkoppelingen blijven bewaard.</translation>
    </message>
    <message>
        <source>Logging out…</source>
        <translation>Afmelden…</translation>
    </message>
    <message>
        <source>Ferry could not log out</source>
        <translation>Ferry kon niet afmelden</translation>
    </message>
    <message>
        <source>Logged out on this computer only</source>
        <translation>Alleen op deze computer afgemeld</translation>
    </message>
    <message>
        <source>The platform was not told: its login server offers no way to end a login from an application, so the login stays valid there until it expires. Ferry has forgotten it on this computer.</source>
        <translation>Het platform is niet op de hoogte gebracht: zijn aanmeldserver biedt een toepassing geen manier om een aanmelding te beëindigen, dus blijft die daar geldig tot ze verloopt. Ferry is ze op deze computer vergeten.</translation>
    </message>
    <message>
        <source>The platform was not told: its login server could not be reached or refused. Ferry has forgotten the login on this computer; it stays valid at the platform until it expires.</source>
        <translation>Het platform is niet op de hoogte gebracht: zijn aanmeldserver was onbereikbaar of weigerde. Ferry is de aanmelding op deze computer vergeten; op het platform blijft ze geldig tot ze verloopt.</translation>
    </message>
    <message>
        <source>Ferry has forgotten the API key on this computer. The key stays valid at the platform until someone deletes it there.</source>
        <translation>Ferry is de API-sleutel op deze computer vergeten. De sleutel blijft geldig op het platform tot iemand hem daar verwijdert.</translation>
    </message>
    <message>
        <source>The platform was not told: Ferry no longer held this login&apos;s token, so there was nothing to end there.</source>
        <translation>Het platform is niet op de hoogte gebracht: Ferry had het token van deze aanmelding niet meer, dus viel er daar niets te beëindigen.</translation>
    </message>
</context>
<context>
    <name>KeyPage</name>
    <message>
        <source>Your {platform} API key</source>
        <translation>Uw API-sleutel van {platform}</translation>
    </message>
    <message>
        <source>Ferry logs in to {platform} with an API key and its PartyID, which {platform} gives an office for its own use. Paste both once: Ferry checks them with {platform}, then keeps the key in this computer&apos;s protected store, never in a file.</source>
        <translation>Ferry meldt zich aan bij {platform} met een API-sleutel en de bijbehorende PartyID, die {platform} een kantoor voor eigen gebruik geeft. Plak ze één keer: Ferry controleert ze bij {platform} en bewaart de sleutel daarna in de beveiligde opslag van deze computer, nooit in een bestand.</translation>
    </message>
    <message>
        <source>Where to find them: log in to {platform} in your browser; the API key is on your user profile, and the PartyID is the number in the browser&apos;s address bar when you open your company&apos;s page.</source>
        <translation>Waar u ze vindt: meld u in uw browser aan bij {platform}; de API-sleutel staat op uw gebruikersprofiel, en de PartyID is het getal in de adresbalk van de browser wanneer u de pagina van uw bedrijf opent.</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API-sleutel</translation>
    </message>
    <message>
        <source>PartyID</source>
        <translation>PartyID</translation>
    </message>
    <message>
        <source>Paste the API key.</source>
        <translation>Plak de API-sleutel.</translation>
    </message>
    <message>
        <source>Type the PartyID, a number.</source>
        <translation>Typ de PartyID, een getal.</translation>
    </message>
    <message>
        <source>Checking the key with {platform}…</source>
        <translation>De sleutel wordt bij {platform} gecontroleerd…</translation>
    </message>
    <message>
        <source>{platform} did not accept this API key. Check that it was pasted whole, or make a new one in {platform}.</source>
        <translation>{platform} aanvaardde deze API-sleutel niet. Controleer of hij volledig geplakt is, of maak een nieuwe aan in {platform}.</translation>
    </message>
    <message>
        <source>{platform} accepted the key, but it does not reach PartyID {party}. Check the PartyID given with the key.</source>
        <translation>{platform} aanvaardde de sleutel, maar hij geeft geen toegang tot PartyID {party}. Controleer de PartyID die bij de sleutel hoort.</translation>
    </message>
</context>
<context>
    <name>KeyReloginDialog</name>
    <message>
        <source>Paste a new API key</source>
        <translation>Plak een nieuwe API-sleutel</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>Aanmelden</translation>
    </message>
</context>
<context>
    <name>LinksPage</name>
    <message>
        <source>Link your clients</source>
        <translation>Koppel uw klanten</translation>
    </message>
</context>
<context>
    <name>LoginPage</name>
    <message>
        <source>Copy</source>
        <translation>Kopiëren</translation>
    </message>
    <message>
        <source>Open the browser again</source>
        <translation>Browser opnieuw openen</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>Aanmelden</translation>
    </message>
    <message>
        <source>Preparing the login…</source>
        <translation>Aanmelding voorbereiden…</translation>
    </message>
    <message>
        <source>Log in on the page that opened in your browser. When the browser says you are logged in, come back here.</source>
        <translation>Meld u aan op de pagina die in uw browser is geopend. Wanneer de browser meldt dat u bent aangemeld, komt u hier terug.</translation>
    </message>
    <message>
        <source>No page opened? Copy this address into a browser:</source>
        <translation>Geen pagina geopend? Kopieer dit adres in een browser:</translation>
    </message>
    <message>
        <source>No browser could be opened on this computer.</source>
        <translation>Op deze computer kon geen browser worden geopend.</translation>
    </message>
    <message>
        <source>Copy this address into a browser and log in there; Ferry waits here:</source>
        <translation>Kopieer dit adres in een browser en meld u daar aan; Ferry wacht hier:</translation>
    </message>
    <message>
        <source>The login did not finish.</source>
        <translation>De aanmelding is niet voltooid.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Starting…</source>
        <translation>Opstarten…</translation>
    </message>
    <message>
        <source>Up to date</source>
        <translation>Bijgewerkt</translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation>Synchroniseren…</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>Gepauzeerd</translation>
    </message>
    <message>
        <source>Offline: the platform cannot be reached; Ferry keeps trying</source>
        <translation>Offline: het platform is niet bereikbaar; Ferry blijft het proberen</translation>
    </message>
    <message>
        <source>Login needed: log in again to go on syncing</source>
        <translation>Aanmelden nodig: meld u opnieuw aan om verder te synchroniseren</translation>
    </message>
    <message>
        <source>Some documents could not be delivered</source>
        <translation>Sommige documenten konden niet worden afgeleverd</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Gestopt</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>Documenten</translation>
    </message>
    <message>
        <source>Activity</source>
        <translation>Activiteit</translation>
    </message>
    <message>
        <source>Destinations</source>
        <translation>Bestemmingen</translation>
    </message>
    <message>
        <source>Clients</source>
        <translation>Klanten</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>Instellingen…</translation>
    </message>
    <message>
        <source>Log in again…</source>
        <translation>Opnieuw aanmelden…</translation>
    </message>
    <message>
        <source>Paste a new key…</source>
        <translation>Nieuwe sleutel plakken…</translation>
    </message>
    <message>
        <source>Login needed: paste a new API key to go on syncing</source>
        <translation>Aanmelding nodig: plak een nieuwe API-sleutel om verder te synchroniseren</translation>
    </message>
    <message numerus="yes">
        <source>%n document(s) could not be delivered</source>
        <translation>
            <numerusform>%n document kon niet worden afgeleverd</numerusform>
            <numerusform>%n documenten konden niet worden afgeleverd</numerusform>
        </translation>
    </message>
    <message>
        <source>last sync {time}</source>
        <translation>laatste synchronisatie {time}</translation>
    </message>
</context>
<context>
    <name>ReloginDialog</name>
    <message>
        <source>Log in again</source>
        <translation>Opnieuw aanmelden</translation>
    </message>
    <message>
        <source>The platform ended Ferry&apos;s login. Log in again as {who} in your browser to go on syncing for {office}; nothing is lost meanwhile.</source>
        <translation>Het platform heeft de aanmelding van Ferry beëindigd. Meld u in uw browser opnieuw aan als {who} om verder te synchroniseren voor {office}; intussen gaat er niets verloren.</translation>
    </message>
    <message>
        <source>the office</source>
        <translation>het kantoor</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopiëren</translation>
    </message>
    <message>
        <source>Open the browser again</source>
        <translation>Browser opnieuw openen</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>Opnieuw proberen</translation>
    </message>
    <message>
        <source>Opening the login page in your browser…</source>
        <translation>De aanmeldpagina wordt in uw browser geopend…</translation>
    </message>
    <message>
        <source>Waiting for the login in your browser…</source>
        <translation>Wachten op de aanmelding in uw browser…</translation>
    </message>
    <message>
        <source>No browser opened: open this address in one to log in.</source>
        <translation>Er is geen browser geopend: open dit adres in een browser om u aan te melden.</translation>
    </message>
    <message>
        <source>That login is somebody else&apos;s. Log in as {who}, or set Ferry up again for another person.</source>
        <translation>Die aanmelding is van iemand anders. Meld u aan als {who}, of stel Ferry opnieuw in voor een andere persoon.</translation>
    </message>
    <message>
        <source>Logged in. Asking the platform about the office…</source>
        <translation>Aangemeld. Het platform wordt naar het kantoor gevraagd…</translation>
    </message>
    <message>
        <source>Ferry no longer holds the client secret of this login: set Ferry up again with it.</source>
        <translation>Ferry heeft het clientgeheim van deze aanmelding niet meer: stel Ferry opnieuw in met dat geheim.</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Ferry settings</source>
        <translation>Instellingen van Ferry</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Account</translation>
    </message>
    <message>
        <source>Logged in as {who} for {office}, at {address}</source>
        <translation>Aangemeld als {who} voor {office}, op {address}</translation>
    </message>
    <message>
        <source>Log out…</source>
        <translation>Afmelden…</translation>
    </message>
    <message>
        <source>General</source>
        <translation>Algemeen</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>Waarschuwingen</translation>
    </message>
    <message>
        <source>When delivery stops (nothing delivered while documents wait, a folder out of reach, a login needed, Ferry not running), Ferry says so once: a notification here, the Windows event log for the service, and, if you want, an e-mail.</source>
        <translation>Als de levering stilvalt (niets geleverd terwijl er documenten wachten, een map onbereikbaar, aanmelden nodig, Ferry draait niet), zegt Ferry het één keer: een melding hier, het Windows-logboek voor de service en, als u wilt, een e-mail.</translation>
    </message>
    <message>
        <source>Full sync</source>
        <translation>Volledige synchronisatie</translation>
    </message>
    <message>
        <source>Connection to the platform</source>
        <translation>Verbinding met het platform</translation>
    </message>
    <message>
        <source>Start Ferry when I log in</source>
        <translation>Ferry starten wanneer ik me aanmeld</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Taal</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>Systeemtaal</translation>
    </message>
    <message>
        <source>Notify me when documents cannot be delivered or a login is needed</source>
        <translation>Mij verwittigen wanneer documenten niet kunnen worden geleverd of aanmelden nodig is</translation>
    </message>
    <message>
        <source>Run a full sync every</source>
        <translation>Volledige synchronisatie om de</translation>
    </message>
    <message>
        <source>Use the system&apos;s proxy settings</source>
        <translation>De proxy-instellingen van het systeem gebruiken</translation>
    </message>
    <message>
        <source>No proxy</source>
        <translation>Geen proxy</translation>
    </message>
    <message>
        <source>Use this proxy:</source>
        <translation>Deze proxy gebruiken:</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Opslaan</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuleren</translation>
    </message>
    <message>
        <source>Export diagnostics…</source>
        <translation>Diagnose exporteren…</translation>
    </message>
    <message>
        <source>Ferry cannot tell whether it starts at login: %1</source>
        <translation>Ferry kan niet nagaan of het bij het aanmelden start: %1</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Controleren…</translation>
    </message>
    <message>
        <source>Ferry starts at login for everyone on this computer (set when it was installed). Only an administrator can turn this off.</source>
        <translation>Ferry start bij het aanmelden voor iedereen op deze computer (ingesteld bij de installatie). Alleen een beheerder kan dit uitschakelen.</translation>
    </message>
    <message>
        <source>Ferry cannot start at login from here: %1</source>
        <translation>Ferry kan van hieruit niet bij het aanmelden starten: %1</translation>
    </message>
    <message>
        <source>Starting Ferry at login was switched off in the system&apos;s settings; tick the box and save to switch it on again.</source>
        <translation>Ferry starten bij het aanmelden is uitgeschakeld in de systeeminstellingen; vink het vakje aan en sla op om het weer in te schakelen.</translation>
    </message>
    <message>
        <source>At login the system starts Ferry from another place: %1. Save to start this Ferry instead.</source>
        <translation>Bij het aanmelden start het systeem Ferry vanaf een andere plaats: %1. Sla op om in de plaats deze Ferry te starten.</translation>
    </message>
    <message>
        <source> day</source>
        <translation> dag</translation>
    </message>
    <message>
        <source> days</source>
        <translation> dagen</translation>
    </message>
    <message>
        <source>A full sync compares everything the platform holds for your linked clients with what was delivered, and delivers again whatever is missing.</source>
        <translation>Een volledige synchronisatie vergelijkt alles wat het platform voor uw gekoppelde klanten heeft met wat geleverd is, en levert opnieuw wat ontbreekt.</translation>
    </message>
    <message>
        <source>The next one runs soon.</source>
        <translation>De volgende start binnenkort.</translation>
    </message>
    <message>
        <source>The next one runs around %1.</source>
        <translation>De volgende start rond %1.</translation>
    </message>
    <message>
        <source>Last full sync: %1.</source>
        <translation>Laatste volledige synchronisatie: %1.</translation>
    </message>
    <message>
        <source>This installation of Ferry cannot use SOCKS proxies; give an http:// proxy.</source>
        <translation>Deze installatie van Ferry kan geen SOCKS-proxy&apos;s gebruiken; geef een http://-proxy op.</translation>
    </message>
    <message>
        <source>Type the proxy&apos;s address, e.g. http://proxy.example.com:3128.</source>
        <translation>Typ het adres van de proxy, bv. http://proxy.example.com:3128.</translation>
    </message>
    <message>
        <source>This is not a proxy address: it holds spaces or control characters. Write it as http://proxy.example.com:3128.</source>
        <translation>Dit is geen proxyadres: het bevat spaties of stuurtekens. Schrijf het als http://proxy.example.com:3128.</translation>
    </message>
    <message>
        <source>Start the address with http://, https:// or socks5://, e.g. http://proxy.example.com:3128.</source>
        <translation>Begin het adres met http://, https:// of socks5://, bv. http://proxy.example.com:3128.</translation>
    </message>
    <message>
        <source>Ferry can use http://, https:// and socks5:// proxies only.</source>
        <translation>Ferry kan alleen http://-, https://- en socks5://-proxy&apos;s gebruiken.</translation>
    </message>
    <message>
        <source>A user name or password cannot be kept in the proxy address: Ferry&apos;s settings are a plain file. Ask for a proxy rule that lets this computer through without one.</source>
        <translation>Een gebruikersnaam of wachtwoord kan niet in het proxyadres staan: de instellingen van Ferry zijn een gewoon bestand. Vraag een proxyregel die deze computer zonder doorlaat.</translation>
    </message>
    <message>
        <source>The proxy&apos;s server name or IP address is not valid.</source>
        <translation>De servernaam of het IP-adres van de proxy is ongeldig.</translation>
    </message>
    <message>
        <source>Add the proxy&apos;s port after a colon, e.g. proxy.example.com:3128.</source>
        <translation>Zet de poort van de proxy na een dubbele punt, bv. proxy.example.com:3128.</translation>
    </message>
    <message>
        <source>The port must be a number from 1 to 65535.</source>
        <translation>De poort moet een getal van 1 tot 65535 zijn.</translation>
    </message>
    <message>
        <source>Give only the proxy&apos;s address and port, without a path or anything after them.</source>
        <translation>Geef alleen het adres en de poort van de proxy op, zonder pad of iets erachter.</translation>
    </message>
    <message>
        <source>Start at login could not be changed: %1</source>
        <translation>Starten bij het aanmelden kon niet worden gewijzigd: %1</translation>
    </message>
    <message>
        <source>The mail server&apos;s password could not be kept in the system&apos;s password store: %1</source>
        <translation>Het wachtwoord van de mailserver kon niet worden bewaard in de wachtwoordkluis van het systeem: %1</translation>
    </message>
    <message>
        <source>The settings were not saved: %1</source>
        <translation>De instellingen zijn niet opgeslagen: %1</translation>
    </message>
</context>
<context>
    <name>SetupWizard</name>
    <message>
        <source>Back</source>
        <extracomment>Each destination kept from the earlier set-up, by its name then and its name now: what Ferry delivered there follows a rename when the set-up is saved.</extracomment>
        <translation>Vorige</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Volgende</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuleren</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>Aanmelden</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>Opnieuw proberen</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>Voltooien</translation>
    </message>
    <message>
        <source>Opening the login page in your browser…</source>
        <translation>De aanmeldpagina wordt in uw browser geopend…</translation>
    </message>
    <message>
        <source>Logged in. Asking the platform about the office…</source>
        <translation>Aangemeld. Het platform wordt naar het kantoor gevraagd…</translation>
    </message>
    <message>
        <source>The login was cancelled.</source>
        <translation>De aanmelding is geannuleerd.</translation>
    </message>
    <message>
        <source>Starting the sandbox platform on this computer…</source>
        <translation>Het sandboxplatform start op deze computer…</translation>
    </message>
    <message>
        <source>The sandbox platform could not start: {why}</source>
        <translation>Het sandboxplatform kon niet starten: {why}</translation>
    </message>
    <message>
        <source>Checking the platform&apos;s address…</source>
        <translation>Het adres van het platform wordt gecontroleerd…</translation>
    </message>
    <message>
        <source>Ferry could not save its settings: {why}</source>
        <translation>Ferry kon zijn instellingen niet opslaan: {why}</translation>
    </message>
    <message>
        <source>Type the address of {what}.</source>
        <translation>Typ het adres van {what}.</translation>
    </message>
    <message>
        <source>This is not a web address.</source>
        <translation>Dit is geen webadres.</translation>
    </message>
    <message>
        <source>This is not a web address: it starts with https:// and a server name.</source>
        <translation>Dit is geen webadres: dat begint met https:// en een servernaam.</translation>
    </message>
    <message>
        <source>Use https://: Ferry sends a login only over an encrypted connection (plain http only to this computer).</source>
        <translation>Gebruik https://: Ferry verstuurt een aanmelding alleen over een versleutelde verbinding (gewoon http alleen naar deze computer).</translation>
    </message>
    <message>
        <source>The address ends before any ? or #.</source>
        <translation>Het adres eindigt vóór een ? of #.</translation>
    </message>
    <message>
        <source>The platform cannot be reached at {address} ({why}).</source>
        <translation>Het platform is niet bereikbaar op {address} ({why}).</translation>
    </message>
    <message>
        <source>There is no document platform at {address} (it answered {status}); check the API address.</source>
        <translation>Er is geen documentplatform op {address} (antwoord {status}); controleer het API-adres.</translation>
    </message>
    <message>
        <source>Nobody finished the login in the browser in time. Click Log in to try again.</source>
        <translation>Niemand heeft de aanmelding in de browser op tijd voltooid. Klik op Aanmelden om het opnieuw te proberen.</translation>
    </message>
    <message>
        <source>The login did not work: {why}.</source>
        <translation>De aanmelding is mislukt: {why}.</translation>
    </message>
    <message>
        <source>The platform cannot be reached: {why}.</source>
        <translation>Het platform is niet bereikbaar: {why}.</translation>
    </message>
    <message>
        <source>The platform refused: {why}.</source>
        <translation>Het platform weigerde: {why}.</translation>
    </message>
    <message>
        <source>The platform no longer accepts this login: {why}.</source>
        <translation>Het platform aanvaardt deze aanmelding niet meer: {why}.</translation>
    </message>
    <message>
        <source>Something went wrong: {why}.</source>
        <translation>Er ging iets mis: {why}.</translation>
    </message>
</context>
<context>
    <name>StatusView</name>
    <message>
        <source>The selected documents could not be read; try again.</source>
        <translation>De geselecteerde documenten konden niet worden gelezen; probeer het opnieuw.</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>Alle statussen</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>Klant</translation>
    </message>
    <message>
        <source>All clients</source>
        <translation>Alle klanten</translation>
    </message>
    <message>
        <source>Search client, number, amount, message or path…</source>
        <translation>Zoek op klant, nummer, bedrag, bericht of pad…</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Opnieuw proberen</translation>
    </message>
    <message>
        <source>Try the selected documents in error again now</source>
        <translation>De geselecteerde documenten met een fout nu opnieuw proberen</translation>
    </message>
    <message>
        <source>Deliver again here</source>
        <translation>Hier opnieuw leveren</translation>
    </message>
    <message>
        <source>Write the selected forwarded documents again into the folders they were delivered to</source>
        <translation>De geselecteerde doorgestuurde documenten opnieuw wegschrijven in de mappen waaraan ze geleverd werden</translation>
    </message>
    <message>
        <source>Open file</source>
        <translation>Bestand openen</translation>
    </message>
    <message>
        <source>Open folder</source>
        <translation>Map openen</translation>
    </message>
    <message>
        <source>Copy error</source>
        <translation>Fout kopiëren</translation>
    </message>
    <message>
        <source>Details…</source>
        <translation>Details…</translation>
    </message>
    <message>
        <source>No documents</source>
        <translation>Geen documenten</translation>
    </message>
    <message>
        <source>1 document</source>
        <translation>1 document</translation>
    </message>
    <message>
        <source>%1 documents</source>
        <translation>%1 documenten</translation>
    </message>
    <message>
        <source>%1 in error</source>
        <translation>%1 met fout</translation>
    </message>
    <message>
        <source>%1 waiting</source>
        <translation>%1 wachtend</translation>
    </message>
    <message numerus="yes">
        <source>%1 shown</source>
        <translation>
            <numerusform>%1 getoond</numerusform>
            <numerusform>%1 getoond</numerusform>
        </translation>
    </message>
    <message>
        <source>No document matches these filters. Clear the search or choose All statuses and All clients to see every document.</source>
        <translation>Geen enkel document past bij deze filters. Wis de zoekopdracht of kies Alle statussen en Alle klanten om elk document te zien.</translation>
    </message>
    <message>
        <source>No documents yet: they appear here as soon as Ferry fetches them from the platform.</source>
        <translation>Nog geen documenten: ze verschijnen hier zodra Ferry ze van het platform ophaalt.</translation>
    </message>
    <message>
        <source>Resend to integrations</source>
        <translation>Opnieuw naar integraties sturen</translation>
    </message>
    <message>
        <source>Send to integrations</source>
        <translation>Naar integraties sturen</translation>
    </message>
    <message>
        <source>Put the selected documents back to To fetch and deliver them again</source>
        <translation>De geselecteerde documenten terug op Op te halen zetten en opnieuw leveren</translation>
    </message>
    <message>
        <source>Select at most %1 documents to open</source>
        <translation>Selecteer hoogstens %1 documenten om te openen</translation>
    </message>
    <message>
        <source>Open the delivered file</source>
        <translation>Het geleverde bestand openen</translation>
    </message>
    <message>
        <source>Open the folder it was delivered to</source>
        <translation>De map openen waarin het werd geleverd</translation>
    </message>
    <message>
        <source>Deliver 1 document again?</source>
        <translation>1 document opnieuw leveren?</translation>
    </message>
    <message>
        <source>Deliver %1 documents again?</source>
        <translation>%1 documenten opnieuw leveren?</translation>
    </message>
    <message>
        <source>Ferry will write their files again into the destinations they were delivered to. The accounting software may import them a second time: do this only when it needs the files again.</source>
        <translation>Ferry schrijft de bestanden opnieuw weg in de bestemmingen waaraan ze geleverd werden. Het boekhoudpakket kan ze een tweede keer inlezen: doe dit enkel als het de bestanden opnieuw nodig heeft.</translation>
    </message>
    <message>
        <source>Deliver again</source>
        <translation>Opnieuw leveren</translation>
    </message>
    <message>
        <source>Could not open %1: it is no longer there. The accounting software may have picked it up, or someone moved it.</source>
        <translation>Kon %1 niet openen: het is er niet meer. Het boekhoudprogramma heeft het misschien opgehaald, of iemand heeft het verplaatst.</translation>
    </message>
    <message>
        <source>Could not open %1: no program on this computer is set up to open %2 files.</source>
        <translation>Kon %1 niet openen: geen programma op deze computer is ingesteld om %2-bestanden te openen.</translation>
    </message>
    <message>
        <source>Could not open %1: the computer refused to show it.</source>
        <translation>Kon %1 niet openen: de computer weigerde het te tonen.</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>Gekopieerd</translation>
    </message>
    <message>
        <source>Copied %1 messages</source>
        <translation>%1 berichten gekopieerd</translation>
    </message>
</context>
<context>
    <name>TrayController</name>
    <message>
        <source>Open Ferry</source>
        <translation>Ferry openen</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Nu synchroniseren</translation>
    </message>
    <message>
        <source>Full sync…</source>
        <translation>Volledige synchronisatie…</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pauzeren</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>Instellingen…</translation>
    </message>
    <message>
        <source>Open logs folder</source>
        <translation>Logboekmap openen</translation>
    </message>
    <message>
        <source>Quit Ferry</source>
        <translation>Ferry afsluiten</translation>
    </message>
    <message>
        <source>last sync %1</source>
        <translation>laatste synchronisatie %1</translation>
    </message>
    <message>
        <source>no documents today</source>
        <translation>vandaag geen documenten</translation>
    </message>
    <message>
        <source>1 document today</source>
        <translation>vandaag 1 document</translation>
    </message>
    <message>
        <source>%1 documents today</source>
        <translation>vandaag %1 documenten</translation>
    </message>
    <message>
        <source>Full sync</source>
        <translation>Volledige synchronisatie</translation>
    </message>
    <message>
        <source>Run a full sync now?</source>
        <translation>Nu een volledige synchronisatie uitvoeren?</translation>
    </message>
    <message>
        <source>Ferry will compare everything the platform holds for your linked clients with what was delivered, and deliver again whatever is missing. This can take a long time and uses the network heavily.</source>
        <translation>Ferry vergelijkt alles wat het platform voor uw gekoppelde klanten heeft met wat geleverd is, en levert opnieuw wat ontbreekt. Dat kan lang duren en belast het netwerk zwaar.</translation>
    </message>
    <message>
        <source>Start full sync</source>
        <translation>Volledige synchronisatie starten</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuleren</translation>
    </message>
    <message>
        <source>Ferry was updated</source>
        <translation>Ferry is bijgewerkt</translation>
    </message>
    <message>
        <source>Updated to Ferry %1</source>
        <translation>Bijgewerkt naar Ferry %1</translation>
    </message>
    <message>
        <source>Ferry update</source>
        <translation>Update van Ferry</translation>
    </message>
    <message>
        <source>Ferry %1 is up to date</source>
        <translation>Ferry %1 is up-to-date</translation>
    </message>
    <message>
        <source>Ferry %1 was downloaded and verified; it is installed at a quiet moment</source>
        <translation>Ferry %1 is gedownload en gecontroleerd; het wordt op een rustig moment geïnstalleerd</translation>
    </message>
    <message>
        <source>This installation of Ferry cannot update itself; install a newer version with the installer</source>
        <translation>Deze installatie van Ferry kan zichzelf niet bijwerken; installeer een nieuwere versie met het installatieprogramma</translation>
    </message>
    <message>
        <source>The check for updates failed unexpectedly; Ferry&apos;s log says why</source>
        <translation>Het controleren op updates is onverwacht mislukt; het logboek van Ferry vermeldt waarom</translation>
    </message>
    <message>
        <source>Export diagnostics…</source>
        <translation>Diagnose exporteren…</translation>
    </message>
    <message>
        <source>Ferry %1</source>
        <translation>Ferry %1</translation>
    </message>
    <message>
        <source>Ferry %1 is ready; it is installed at a quiet moment</source>
        <translation>Ferry %1 staat klaar; het wordt op een rustig moment geïnstalleerd</translation>
    </message>
    <message>
        <source>Checking for updates…</source>
        <translation>Controleren op updates…</translation>
    </message>
    <message>
        <source>Check for updates</source>
        <translation>Controleren op updates</translation>
    </message>
    <message>
        <source>Restart to update</source>
        <translation>Herstarten om bij te werken</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Hervatten</translation>
    </message>
    <message>
        <source>Up to date</source>
        <translation>Bijgewerkt</translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation>Synchroniseren…</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>Gepauzeerd</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message>
        <source>Login needed</source>
        <translation>Aanmelding vereist</translation>
    </message>
    <message>
        <source>1 document in error</source>
        <translation>1 document met fout</translation>
    </message>
    <message>
        <source>%1 documents in error</source>
        <translation>%1 documenten met fout</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>Fouten</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Gestopt</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Opstarten…</translation>
    </message>
</context>
<context>
    <name>WhoPage</name>
    <message>
        <source>You are logged in</source>
        <translation>U bent aangemeld</translation>
    </message>
    <message>
        <source>Not the right account or office? Go back and log in with another one.</source>
        <translation>Niet de juiste account of het juiste kantoor? Ga terug en meld u met een andere aan.</translation>
    </message>
    <message>
        <source>Logged in as {who}</source>
        <translation>Aangemeld als {who}</translation>
    </message>
    <message>
        <source>Office: {office}</source>
        <translation>Kantoor: {office}</translation>
    </message>
    <message>
        <source>(no name)</source>
        <translation>(geen naam)</translation>
    </message>
    <message>
        <source>Platform: {region} ({address})</source>
        <translation>Platform: {region} ({address})</translation>
    </message>
    <message numerus="yes">
        <source>The office has %n client(s) on the platform.</source>
        <translation>
            <numerusform>Het kantoor heeft %n klant op het platform.</numerusform>
            <numerusform>Het kantoor heeft %n klanten op het platform.</numerusform>
        </translation>
    </message>
</context>
</TS>
