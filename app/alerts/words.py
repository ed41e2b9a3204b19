"""The watchdog's alerts in words, in English, French and Dutch.

An alert is data (:class:`app.alerts.watchdog.Alert`); it is put into words only where it is
said — the log, the Event Log, an e-mail, the tray — in that reader's language, as
:mod:`app.core.failures` words failures. Each alert has a short title (a notification's, an
e-mail's subject) and a text that says what stopped, since when, and what to do; its end has
its own "back to normal" title and text.
"""

from __future__ import annotations

import datetime as dt

from app.alerts.watchdog import Alert, AlertChange, AlertKind
from app.core.language import FALLBACK, Language
from app.core.platform_kinds import LoginStrategy

_M = dict[Language, str]

_TITLES: dict[AlertKind, _M] = {
    AlertKind.NOTHING_DELIVERED: {
        Language.EN: "Ferry has delivered nothing for a while",
        Language.FR: "Ferry ne livre plus rien depuis un moment",
        Language.NL: "Ferry levert al een tijd niets meer",
    },
    AlertKind.DESTINATION_UNREACHABLE: {
        Language.EN: "A destination folder cannot be reached",
        Language.FR: "Un dossier de destination est inaccessible",
        Language.NL: "Een bestemmingsmap is niet bereikbaar",
    },
    AlertKind.LOGIN_NEEDED: {
        Language.EN: "Ferry needs a new login",
        Language.FR: "Ferry a besoin d'une nouvelle connexion",
        Language.NL: "Ferry moet opnieuw aangemeld worden",
    },
    AlertKind.ENGINE_DOWN: {
        Language.EN: "Ferry's engine is not running",
        Language.FR: "Le moteur de Ferry ne tourne pas",
        Language.NL: "De engine van Ferry draait niet",
    },
}

_TEXTS: dict[AlertKind, _M] = {
    AlertKind.NOTHING_DELIVERED: {
        Language.EN: "{waiting} document(s) wait To fetch, and Ferry has delivered none since "
        "{since}. Open Ferry to see why (the platform, a folder or a document's error); if "
        "nothing there explains it, send Ferry's logs to support.",
        Language.FR: "{waiting} document(s) sont « À récupérer », et Ferry n'en a livré aucun "
        "depuis {since}. Ouvrez Ferry pour en voir la raison (la plateforme, un dossier ou "
        "l'erreur d'un document) ; si rien ne l'explique, envoyez les journaux de Ferry au "
        "service d'assistance.",
        Language.NL: "{waiting} document(en) staan op “Op te halen”, en Ferry heeft er sinds "
        "{since} geen enkel geleverd. Open Ferry om te zien waarom (het platform, een map of "
        "de fout van een document); verklaart niets het, stuur dan de logbestanden van Ferry "
        "naar de helpdesk.",
    },
    AlertKind.DESTINATION_UNREACHABLE: {
        Language.EN: "The folder of destination “{destination}” cannot be reached since "
        "{since}, so nothing is delivered there. Check that its drive or network share is "
        "available to the account that runs Ferry; Ferry delivers by itself once it is.",
        Language.FR: "Le dossier de la destination « {destination} » est inaccessible depuis "
        "{since}, rien n'y est donc livré. Vérifiez que son lecteur ou son partage réseau est "
        "disponible pour le compte qui exécute Ferry ; Ferry livrera de lui-même dès qu'il "
        "le sera.",
        Language.NL: "De map van bestemming “{destination}” is sinds {since} niet bereikbaar, "
        "dus daar wordt niets geleverd. Controleer of het station of de netwerkshare "
        "beschikbaar is voor de account waaronder Ferry draait; Ferry levert vanzelf zodra "
        "dat zo is.",
    },
    AlertKind.LOGIN_NEEDED: {
        Language.EN: "The platform no longer accepts Ferry's login since {since}, so no "
        "documents are delivered. Open Ferry on this computer and log in again.",
        Language.FR: "La plateforme n'accepte plus la connexion de Ferry depuis {since}, aucun "
        "document n'est donc livré. Ouvrez Ferry sur cet ordinateur et reconnectez-vous.",
        Language.NL: "Het platform aanvaardt de aanmelding van Ferry sinds {since} niet meer, "
        "dus er worden geen documenten geleverd. Open Ferry op deze computer en meld u "
        "opnieuw aan.",
    },
    AlertKind.ENGINE_DOWN: {
        Language.EN: "Ferry's engine (or the Ferry service) has not been running since "
        "{since}, so no documents are delivered. Start the Ferry service, or open Ferry "
        "again; if it stops again, send Ferry's logs to support.",
        Language.FR: "Le moteur de Ferry (ou le service Ferry) ne tourne plus depuis {since}, "
        "aucun document n'est donc livré. Démarrez le service Ferry, ou rouvrez Ferry ; s'il "
        "s'arrête encore, envoyez les journaux de Ferry au service d'assistance.",
        Language.NL: "De engine van Ferry (of de Ferry-service) draait sinds {since} niet "
        "meer, dus er worden geen documenten geleverd. Start de Ferry-service, of open Ferry "
        "opnieuw; stopt hij weer, stuur dan de logbestanden van Ferry naar de helpdesk.",
    },
}

#: *Login needed* where the login is an API key (``login=api_key``): no browser login brings
#: it back; a new key from the platform does.
_KEY_TITLE: _M = {
    Language.EN: "Ferry needs a new API key",
    Language.FR: "Ferry a besoin d'une nouvelle clé d'API",
    Language.NL: "Ferry heeft een nieuwe API-sleutel nodig",
}

_KEY_TEXT: _M = {
    Language.EN: "{platform} no longer accepts the API key Ferry logs in with since {since}, "
    "so no documents are delivered. Make a new API key in {platform} (on your profile "
    "there), then open Ferry on this computer and paste it with “Paste a new key…”.",
    Language.FR: "{platform} n'accepte plus la clé d'API avec laquelle Ferry se connecte "
    "depuis {since}, aucun document n'est donc livré. Créez une nouvelle clé d'API dans "
    "{platform} (dans votre profil), puis ouvrez Ferry sur cet ordinateur et collez-la avec "
    "« Coller une nouvelle clé… ».",
    Language.NL: "{platform} aanvaardt de API-sleutel waarmee Ferry zich aanmeldt sinds "
    "{since} niet meer, dus er worden geen documenten geleverd. Maak een nieuwe API-sleutel "
    "in {platform} (in uw profiel daar), open dan Ferry op deze computer en plak hem met "
    "“Nieuwe sleutel plakken…”.",
}

_CLEARED_TITLE: _M = {
    Language.EN: "Ferry is delivering again",
    Language.FR: "Ferry livre à nouveau",
    Language.NL: "Ferry levert weer",
}

_CLEARED_TEXTS: dict[AlertKind, _M] = {
    AlertKind.NOTHING_DELIVERED: {
        Language.EN: "Ferry delivers documents again (it had delivered none since {since}).",
        Language.FR: "Ferry livre à nouveau des documents (il n'en avait livré aucun depuis "
        "{since}).",
        Language.NL: "Ferry levert weer documenten (sinds {since} was er geen enkel geleverd).",
    },
    AlertKind.DESTINATION_UNREACHABLE: {
        Language.EN: "The folder of destination “{destination}” can be reached again "
        "(it could not since {since}).",
        Language.FR: "Le dossier de la destination « {destination} » est à nouveau accessible "
        "(il ne l'était plus depuis {since}).",
        Language.NL: "De map van bestemming “{destination}” is weer bereikbaar (sinds {since} "
        "was ze dat niet).",
    },
    AlertKind.LOGIN_NEEDED: {
        Language.EN: "Ferry is logged in again (its login was refused since {since}).",
        Language.FR: "Ferry est à nouveau connecté (sa connexion était refusée depuis {since}).",
        Language.NL: "Ferry is weer aangemeld (de aanmelding werd sinds {since} geweigerd).",
    },
    AlertKind.ENGINE_DOWN: {
        Language.EN: "Ferry's engine runs again (it had stopped since {since}).",
        Language.FR: "Le moteur de Ferry tourne à nouveau (il était arrêté depuis {since}).",
        Language.NL: "De engine van Ferry draait weer (hij was gestopt sinds {since}).",
    },
}

_AT: _M = {Language.EN: "{time}", Language.FR: "{time}", Language.NL: "{time}"}
_ON: _M = {
    Language.EN: "{date} at {time}",
    Language.FR: "le {date} à {time}",
    Language.NL: "{date} om {time}",
}
_SOME_TIME: _M = {
    Language.EN: "some time",
    Language.FR: "un moment",
    Language.NL: "enige tijd",
}


def title(change: AlertChange, language: Language = FALLBACK) -> str:
    """A short title: a notification's, an e-mail's subject."""
    if not change.raised:
        return _CLEARED_TITLE[language]
    if _with_key(change.alert):
        return _KEY_TITLE[language]
    return _TITLES[change.alert.kind][language]


def _with_key(alert: Alert) -> bool:
    """A *login needed* whose login is an API key on a named platform: decided from the
    alert's parameters (the engine's failure), never from words."""
    return (
        alert.kind is AlertKind.LOGIN_NEEDED
        and alert.param("login") == LoginStrategy.API_KEY.value
        and bool(alert.param("platform"))
    )


def text(
    change: AlertChange,
    language: Language = FALLBACK,
    *,
    now: dt.datetime | None = None,
    zone: dt.tzinfo | None = None,
) -> str:
    """What stopped (or came back), since when (local time, in ``zone``: the computer's own
    by default), and what to do."""
    alert = change.alert
    table = _TEXTS if change.raised else _CLEARED_TEXTS
    values = {
        "since": since_words(alert, language, now=now, zone=zone),
        "waiting": alert.param("waiting") or "?",
        "destination": alert.param("destination") or "?",
        "platform": alert.param("platform") or "?",
    }
    if change.raised and _with_key(alert):
        return _KEY_TEXT[language].format_map(values)
    return table[alert.kind][language].format_map(values)


def since_words(
    alert: Alert,
    language: Language = FALLBACK,
    *,
    now: dt.datetime | None = None,
    zone: dt.tzinfo | None = None,
) -> str:
    """When the alert's condition began: the time alone today, else the day and the time."""
    raw = alert.param("since")
    try:
        moment = dt.datetime.fromisoformat(raw or "")
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)
        local = moment.astimezone(zone)
    except (ValueError, OverflowError):
        return _SOME_TIME[language]
    today = (now or dt.datetime.now(dt.UTC)).astimezone(zone).date()
    time = local.strftime("%H:%M")
    if local.date() == today:
        return _AT[language].format(time=time)
    return _ON[language].format(time=time, date=local.strftime("%d/%m/%Y"))


# --- e-mail ----------------------------------------------------------------------------------

_SUBJECT: _M = {
    Language.EN: "Ferry on {computer}: {title}",
    Language.FR: "Ferry sur {computer} : {title}",
    Language.NL: "Ferry op {computer}: {title}",
}

_FOOTER: _M = {
    Language.EN: "This message was sent by Ferry on the computer {computer}. Who receives these "
    "messages, and through which mail server, is set in Ferry's Settings on that computer.",
    Language.FR: "Ce message a été envoyé par Ferry depuis l'ordinateur {computer}. Les "
    "destinataires de ces messages et le serveur de messagerie utilisé se règlent dans les "
    "réglages de Ferry sur cet ordinateur.",
    Language.NL: "Dit bericht werd verstuurd door Ferry op de computer {computer}. Wie deze "
    "berichten ontvangt, en via welke mailserver, stelt u in bij de instellingen van Ferry "
    "op die computer.",
}

_TEST_TITLE: _M = {
    Language.EN: "test message",
    Language.FR: "message de test",
    Language.NL: "testbericht",
}

_TEST_TEXT: _M = {
    Language.EN: "This is a test of Ferry's alerts. When delivery stops (nothing delivered while "
    "documents wait, a destination folder unreachable, a login needed, the engine not "
    "running), Ferry tells this address once, and once more when things are back to normal.",
    Language.FR: "Ceci est un test des alertes de Ferry. Quand la livraison s'arrête (rien de "
    "livré alors que des documents attendent, un dossier de destination inaccessible, une "
    "connexion à refaire, le moteur arrêté), Ferry prévient cette adresse une fois, puis une "
    "fois encore quand tout est rentré dans l'ordre.",
    Language.NL: "Dit is een test van de waarschuwingen van Ferry. Als de levering stilvalt "
    "(niets geleverd terwijl er documenten wachten, een bestemmingsmap onbereikbaar, een "
    "nieuwe aanmelding nodig, de engine gestopt), verwittigt Ferry dit adres één keer, en nog "
    "één keer wanneer alles weer in orde is.",
}


def subject(title_words: str, computer: str, language: Language = FALLBACK) -> str:
    """An e-mail's subject: the computer first, as an office with several servers reads it."""
    return _SUBJECT[language].format(computer=computer, title=title_words)


def footer(computer: str, language: Language = FALLBACK) -> str:
    return _FOOTER[language].format(computer=computer)


def trial_title(language: Language = FALLBACK) -> str:
    return _TEST_TITLE[language]


def trial_text(language: Language = FALLBACK) -> str:
    return _TEST_TEXT[language]


_MAIL_FAILURES: dict[str, _M] = {
    "not_configured": {
        Language.EN: "No e-mail can be sent: set the mail server and at least one recipient.",
        Language.FR: "Aucun e-mail ne peut être envoyé : indiquez le serveur de messagerie et "
        "au moins un destinataire.",
        Language.NL: "Er kan geen e-mail verstuurd worden: vul de mailserver en minstens één "
        "ontvanger in.",
    },
    "connect": {
        Language.EN: "The mail server {host} (port {port}) cannot be reached{said}; check its "
        "name and port.",
        Language.FR: "Le serveur de messagerie {host} (port {port}) est injoignable{said} ; "
        "vérifiez son nom et son port.",
        Language.NL: "De mailserver {host} (poort {port}) is niet bereikbaar{said}; controleer "
        "de naam en de poort.",
    },
    "no_starttls": {
        Language.EN: "The mail server {host} does not offer STARTTLS, so Ferry did not send "
        "anything over an unprotected connection; use the port of its encrypted submission "
        "(often 587), or turn STARTTLS off only if the server is on your own network.",
        Language.FR: "Le serveur de messagerie {host} ne propose pas STARTTLS, Ferry n'a donc "
        "rien envoyé sur une connexion non protégée ; utilisez le port de soumission chiffrée "
        "(souvent 587), ou désactivez STARTTLS seulement si le serveur est sur votre propre "
        "réseau.",
        Language.NL: "De mailserver {host} biedt geen STARTTLS aan, dus Ferry verstuurde niets "
        "over een onbeveiligde verbinding; gebruik de poort voor versleutelde verzending "
        "(vaak 587), of zet STARTTLS enkel uit als de server op uw eigen netwerk staat.",
    },
    "tls": {
        Language.EN: "The secure connection to the mail server {host} failed{said}; its "
        "certificate may not be trusted by this computer.",
        Language.FR: "La connexion sécurisée au serveur de messagerie {host} a échoué{said} ; "
        "son certificat n'est peut-être pas reconnu par cet ordinateur.",
        Language.NL: "De beveiligde verbinding met de mailserver {host} is mislukt{said}; het "
        "certificaat ervan wordt misschien niet vertrouwd door deze computer.",
    },
    "no_auth": {
        Language.EN: "The mail server {host} does not accept a login here; leave the user "
        "empty, or turn STARTTLS on (many servers take a login only over it).",
        Language.FR: "Le serveur de messagerie {host} n'accepte pas d'identification ici ; "
        "laissez l'utilisateur vide, ou activez STARTTLS (beaucoup de serveurs ne l'acceptent "
        "qu'ainsi).",
        Language.NL: "De mailserver {host} aanvaardt hier geen aanmelding; laat de gebruiker "
        "leeg, of zet STARTTLS aan (veel servers aanvaarden ze enkel zo).",
    },
    "auth_refused": {
        Language.EN: "The mail server {host} refused the user {user} and its password{said}; "
        "check both in Ferry's Settings.",
        Language.FR: "Le serveur de messagerie {host} a refusé l'utilisateur {user} et son mot "
        "de passe{said} ; vérifiez-les dans les réglages de Ferry.",
        Language.NL: "De mailserver {host} weigerde de gebruiker {user} en het wachtwoord"
        "{said}; controleer beide in de instellingen van Ferry.",
    },
    "no_password": {
        Language.EN: "A user is set for the mail server but no password is kept for it; type "
        "the password in Ferry's Settings.",
        Language.FR: "Un utilisateur est indiqué pour le serveur de messagerie mais aucun mot "
        "de passe n'est enregistré ; saisissez-le dans les réglages de Ferry.",
        Language.NL: "Er is een gebruiker ingevuld voor de mailserver, maar er is geen "
        "wachtwoord bewaard; typ het in de instellingen van Ferry.",
    },
    "sender_refused": {
        Language.EN: "The mail server {host} refused the sender {sender}{said}; set a sender "
        "address it accepts.",
        Language.FR: "Le serveur de messagerie {host} a refusé l'expéditeur {sender}{said} ; "
        "indiquez une adresse d'expéditeur qu'il accepte.",
        Language.NL: "De mailserver {host} weigerde de afzender {sender}{said}; vul een "
        "afzenderadres in dat hij aanvaardt.",
    },
    "recipients_refused": {
        Language.EN: "The mail server {host} refused {recipients}{said}.",
        Language.FR: "Le serveur de messagerie {host} a refusé {recipients}{said}.",
        Language.NL: "De mailserver {host} weigerde {recipients}{said}.",
    },
    "other": {
        Language.EN: "The e-mail could not be sent through {host}{said}.",
        Language.FR: "L'e-mail n'a pas pu être envoyé par {host}{said}.",
        Language.NL: "De e-mail kon niet verstuurd worden via {host}{said}.",
    },
}

_MAIL_SAID: _M = {
    Language.EN: " (the server said: {said})",
    Language.FR: " (le serveur a répondu : « {said} »)",
    Language.NL: " (de server meldde: “{said}”)",
}


def mail_failure(code: str, params: dict[str, str], language: Language = FALLBACK) -> str:
    """Why an e-mail could not be sent, from its code and parameters."""
    table = _MAIL_FAILURES.get(code, _MAIL_FAILURES["other"])
    values = _Values(params)
    said = params.get("said")
    values["said"] = _MAIL_SAID[language].format(said=said) if said else ""
    return table[language].format_map(values)


class _Values(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "?"
