<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr" sourcelanguage="en">
<context>
    <name>ActionWords</name>
    <message numerus="yes">
        <source>Sending %n document(s) to the integrations again…</source>
        <extracomment>How long the status bar keeps each message (ms): long enough to read twice.</extracomment>
        <translation>
            <numerusform>Envoi de %n document aux intégrations…</numerusform>
            <numerusform>Envoi de %n documents aux intégrations…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Trying %n document(s) again…</source>
        <translation>
            <numerusform>Nouvelle tentative pour %n document…</numerusform>
            <numerusform>Nouvelle tentative pour %n documents…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Delivering %n document(s) again…</source>
        <translation>
            <numerusform>Nouvelle livraison de %n document…</numerusform>
            <numerusform>Nouvelle livraison de %n documents…</numerusform>
        </translation>
    </message>
    <message>
        <source>Full sync started: Ferry compares what the platform holds with what was delivered…</source>
        <translation>Synchronisation complète lancée : Ferry compare ce que contient la plateforme avec ce qui a été livré…</translation>
    </message>
    <message>
        <source>Syncing now…</source>
        <translation>Synchronisation en cours…</translation>
    </message>
    <message>
        <source>Ferry is not syncing right now: try again once it has started.</source>
        <translation>Ferry ne synchronise pas pour l&apos;instant : réessayez une fois qu&apos;il a démarré.</translation>
    </message>
    <message>
        <source>Stopped before it was done; Ferry goes on with it when it starts again.</source>
        <translation>Arrêté avant la fin ; Ferry reprendra au prochain démarrage.</translation>
    </message>
    <message>
        <source>Synced: nothing new on the platform.</source>
        <translation>Synchronisé : rien de nouveau sur la plateforme.</translation>
    </message>
    <message>
        <source>Done: there was nothing to do.</source>
        <translation>Terminé : il n&apos;y avait rien à faire.</translation>
    </message>
    <message numerus="yes">
        <source>Done: %n document(s) delivered.</source>
        <translation>
            <numerusform>Terminé : %n document livré.</numerusform>
            <numerusform>Terminé : %n documents livrés.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n could not be delivered: see the Documents tab.</source>
        <translation>
            <numerusform>%n n&apos;a pas pu être livré : voir l&apos;onglet Documents.</numerusform>
            <numerusform>%n n&apos;ont pas pu être livrés : voir l&apos;onglet Documents.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ActivityModel</name>
    <message>
        <source>interrupted after %1</source>
        <translation>interrompue après %1</translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation>interrompue</translation>
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
        <translation>%1 h %2 min</translation>
    </message>
    <message numerus="yes">
        <source>and %n more document(s)</source>
        <translation>
            <numerusform>et %n autre document</numerusform>
            <numerusform>et %n autres documents</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n picked up or moved from %1</source>
        <translation>
            <numerusform>%n récupéré ou déplacé depuis %1</numerusform>
            <numerusform>%n récupérés ou déplacés depuis %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ActivityView</name>
    <message>
        <source>Incremental</source>
        <translation>Incrémentielle</translation>
    </message>
    <message>
        <source>Nightly catch-up</source>
        <translation>Rattrapage de nuit</translation>
    </message>
    <message>
        <source>Full sync</source>
        <translation>Synchronisation complète</translation>
    </message>
    <message>
        <source>Resend</source>
        <translation>Renvoi</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Nouvelle tentative</translation>
    </message>
    <message>
        <source>Manual</source>
        <translation>Manuelle</translation>
    </message>
    <message>
        <source>Deliver again</source>
        <translation>Relivrer</translation>
    </message>
    <message>
        <source>Continuous sync</source>
        <translation>Synchronisation continue</translation>
    </message>
    <message>
        <source>Platform task: full sync</source>
        <translation>Tâche de la plateforme : synchronisation complète</translation>
    </message>
    <message>
        <source>Platform task: resend</source>
        <translation>Tâche de la plateforme : renvoi</translation>
    </message>
    <message>
        <source>Full sync of %1</source>
        <translation>Synchronisation complète de %1</translation>
    </message>
    <message>
        <source>Platform task: full sync of %1</source>
        <translation>Tâche de la plateforme : synchronisation complète de %1</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Quand</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Durée</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>Documents</translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation>Livrés</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Échecs</translation>
    </message>
    <message>
        <source>What failed</source>
        <translation>Problème</translation>
    </message>
    <message>
        <source>running</source>
        <translation>en cours</translation>
    </message>
</context>
<context>
    <name>AlertsSettings</name>
    <message>
        <source>Send an e-mail when delivery stops</source>
        <translation>Envoyer un e-mail quand la livraison s&apos;arrête</translation>
    </message>
    <message>
        <source>Recipients:</source>
        <translation>Destinataires :</translation>
    </message>
    <message>
        <source>Mail server (SMTP):</source>
        <translation>Serveur de messagerie (SMTP) :</translation>
    </message>
    <message>
        <source>Port:</source>
        <translation>Port :</translation>
    </message>
    <message>
        <source>User:</source>
        <translation>Utilisateur :</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>Mot de passe :</translation>
    </message>
    <message>
        <source>Sender address:</source>
        <translation>Adresse de l&apos;expéditeur :</translation>
    </message>
    <message>
        <source>Alert when nothing is delivered for (hours):</source>
        <translation>Alerter quand rien n&apos;est livré pendant (heures) :</translation>
    </message>
    <message>
        <source>Alert when a folder cannot be reached for (minutes):</source>
        <translation>Alerter quand un dossier est inaccessible pendant (minutes) :</translation>
    </message>
    <message>
        <source>Alert when Ferry&apos;s engine is not running for (minutes):</source>
        <translation>Alerter quand le moteur de Ferry ne tourne pas pendant (minutes) :</translation>
    </message>
    <message>
        <source>accounting@office.be, it@partner.be</source>
        <translation>comptabilite@bureau.be, it@partenaire.be</translation>
    </message>
    <message>
        <source>The first recipient</source>
        <translation>Le premier destinataire</translation>
    </message>
    <message>
        <source>None: the server takes mail without a login</source>
        <translation>Aucun : le serveur accepte les e-mails sans identification</translation>
    </message>
    <message>
        <source>Encrypt the connection (STARTTLS)</source>
        <translation>Chiffrer la connexion (STARTTLS)</translation>
    </message>
    <message>
        <source>Also say when things are back to normal</source>
        <translation>Prévenir aussi quand tout est rentré dans l&apos;ordre</translation>
    </message>
    <message>
        <source>Send a test e-mail</source>
        <translation>Envoyer un e-mail de test</translation>
    </message>
    <message>
        <source>Kept in the system&apos;s password store</source>
        <translation>Conservé dans le coffre à mots de passe du système</translation>
    </message>
    <message>
        <source>Type at least one address to send the alerts to.</source>
        <translation>Indiquez au moins une adresse à laquelle envoyer les alertes.</translation>
    </message>
    <message>
        <source>Type the name or address of the office&apos;s mail server.</source>
        <translation>Indiquez le nom ou l&apos;adresse du serveur de messagerie du bureau.</translation>
    </message>
    <message>
        <source>“%1” holds a space; separate addresses with commas.</source>
        <translation>« %1 » contient une espace ; séparez les adresses par des virgules.</translation>
    </message>
    <message>
        <source>“%1” lacks the part after the @, such as office.be.</source>
        <translation>Il manque à « %1 » la partie après le @, par exemple bureau.be.</translation>
    </message>
    <message>
        <source>“%1” holds characters an e-mail address cannot have.</source>
        <translation>« %1 » contient des caractères impossibles dans une adresse e-mail.</translation>
    </message>
    <message>
        <source>“%1” is not an e-mail address (name@office.be).</source>
        <translation>« %1 » n&apos;est pas une adresse e-mail (nom@bureau.be).</translation>
    </message>
    <message>
        <source>Sending a test e-mail…</source>
        <translation>Envoi d&apos;un e-mail de test…</translation>
    </message>
    <message>
        <source>A test e-mail went to %1.</source>
        <translation>Un e-mail de test a été envoyé à %1.</translation>
    </message>
</context>
<context>
    <name>ClientLinksModel</name>
    <message>
        <source>Client</source>
        <translation>Client</translation>
    </message>
    <message>
        <source>Accounting file id</source>
        <translation>N° de dossier comptable</translation>
    </message>
    <message>
        <source>VAT number</source>
        <translation>Numéro de TVA</translation>
    </message>
    <message>
        <source>VAT check</source>
        <translation>Contrôle TVA</translation>
    </message>
    <message>
        <source>Shares documents</source>
        <translation>Partage ses documents</translation>
    </message>
    <message>
        <source>Sharing since</source>
        <translation>Partage depuis</translation>
    </message>
    <message>
        <source>Deliver from</source>
        <translation>Livrer à partir du</translation>
    </message>
    <message>
        <source>Tick to deliver the client&apos;s documents to “%1”.</source>
        <translation>Cochez pour livrer les documents du client dans « %1 ».</translation>
    </message>
    <message>
        <source>Delivered to “%1”. Untick to stop.</source>
        <translation>Livré dans « %1 ». Décochez pour arrêter.</translation>
    </message>
    <message>
        <source>Tick to deliver this client&apos;s documents to “%1”.</source>
        <translation>Cochez pour livrer les documents de ce client dans « %1 ».</translation>
    </message>
    <message>
        <source>%1 (no longer on the platform)</source>
        <translation>%1 (plus sur la plateforme)</translation>
    </message>
    <message>
        <source>Valid</source>
        <translation>Valide</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>Oui</translation>
    </message>
    <message>
        <source>No</source>
        <translation>Non</translation>
    </message>
    <message>
        <source>From now (when saved)</source>
        <translation>Dès maintenant (à l&apos;enregistrement)</translation>
    </message>
    <message>
        <source>Ferry has not heard from the platform yet; its clients come next.</source>
        <translation>Ferry n&apos;a pas encore reçu de réponse de la plateforme ; les clients suivront.</translation>
    </message>
    <message>
        <source>The platform no longer lists this client. It stays linked until you untick it.</source>
        <translation>La plateforme ne répertorie plus ce client. Il reste lié tant que vous ne le décochez pas.</translation>
    </message>
    <message>
        <source>No accounting file id: a path that uses [accounting_file_id] cannot be built for this client. Double-click to type it.</source>
        <translation>Pas de numéro de dossier comptable : un chemin qui utilise [id_fichier_comptable] ne peut pas être construit pour ce client. Double-cliquez pour le saisir.</translation>
    </message>
    <message>
        <source>Changed in Ferry; the platform says “%1”.</source>
        <translation>Modifié dans Ferry ; la plateforme indique « %1 ».</translation>
    </message>
    <message>
        <source>nothing</source>
        <translation>rien</translation>
    </message>
    <message>
        <source>From the platform. Double-click to change it for Ferry.</source>
        <translation>Repris de la plateforme. Double-cliquez pour le modifier dans Ferry.</translation>
    </message>
    <message>
        <source>When the client started sharing documents with your office.</source>
        <translation>Date à laquelle le client a commencé à partager ses documents avec votre bureau.</translation>
    </message>
    <message>
        <source>Link the client first.</source>
        <translation>Liez d&apos;abord le client.</translation>
    </message>
    <message>
        <source>Only documents created from this moment on are delivered. Double-click to pick an earlier day.</source>
        <translation>Seuls les documents créés à partir de ce moment sont livrés. Double-cliquez pour choisir un jour antérieur.</translation>
    </message>
    <message>
        <source>The platform no longer lists this client, so it cannot be linked again.</source>
        <translation>La plateforme ne répertorie plus ce client : il ne peut plus être lié.</translation>
    </message>
    <message>
        <source>This client does not share its documents with your office on the platform, so there is nothing to deliver. Once the client shares them, it can be linked here.</source>
        <translation>Ce client ne partage pas ses documents avec votre bureau sur la plateforme : il n&apos;y a donc rien à livrer. Dès qu&apos;il les partage, vous pouvez le lier ici.</translation>
    </message>
    <message>
        <source>The client&apos;s file (dossier) number in the accounting software; prefilled from the platform, editable here.</source>
        <translation>Le numéro de dossier du client dans le logiciel comptable ; prérempli depuis la plateforme, modifiable ici.</translation>
    </message>
    <message>
        <source>Whether the VAT number&apos;s check digits are right for its country.</source>
        <translation>Indique si les chiffres de contrôle du numéro de TVA sont corrects pour son pays.</translation>
    </message>
    <message>
        <source>Only clients who share their documents with your office can be linked.</source>
        <translation>Seuls les clients qui partagent leurs documents avec votre bureau peuvent être liés.</translation>
    </message>
    <message>
        <source>Only documents created from this moment on are delivered to the destinations.</source>
        <translation>Seuls les documents créés à partir de ce moment sont livrés aux destinations.</translation>
    </message>
</context>
<context>
    <name>ClientLinksView</name>
    <message>
        <source>now</source>
        <extracomment>The value that means &quot;now&quot;: nothing earlier than the moment of saving. What else a person may type for a day, besides the region&apos;s own format.</extracomment>
        <translation>maintenant</translation>
    </message>
    <message>
        <source>Tick a destination to deliver a client&apos;s documents there. Only documents created after a client is linked are delivered, unless you pick an earlier day under “Deliver from”.</source>
        <translation>Cochez une destination pour y livrer les documents d&apos;un client. Seuls les documents créés après la liaison du client sont livrés, sauf si vous choisissez un jour antérieur sous « Livrer à partir du ».</translation>
    </message>
    <message>
        <source>No destination yet: add one first (where the accounting software reads its documents), then link clients to it here.</source>
        <translation>Pas encore de destination : ajoutez-en d&apos;abord une (là où le logiciel comptable lit ses documents), puis liez-y des clients ici.</translation>
    </message>
    <message>
        <source>Add a destination…</source>
        <translation>Ajouter une destination…</translation>
    </message>
    <message>
        <source>Search by name, VAT number or file id</source>
        <translation>Rechercher par nom, numéro de TVA ou numéro de dossier</translation>
    </message>
    <message>
        <source>All clients</source>
        <extracomment>The *Show* filter&apos;s choices, in English (translated when shown).</extracomment>
        <translation>Tous les clients</translation>
    </message>
    <message>
        <source>Linked</source>
        <translation>Liés</translation>
    </message>
    <message>
        <source>Not linked</source>
        <translation>Non liés</translation>
    </message>
    <message>
        <source>Changed, not saved</source>
        <translation>Modifiés, non enregistrés</translation>
    </message>
    <message>
        <source>The destination the buttons link to or unlink from.</source>
        <translation>La destination à laquelle les boutons lient ou délient les clients.</translation>
    </message>
    <message>
        <source>New links made with the buttons deliver documents created from this day on; “now” delivers only documents created after saving.</source>
        <translation>Les nouvelles liaisons faites avec les boutons livrent les documents créés à partir de ce jour ; « maintenant » ne livre que les documents créés après l&apos;enregistrement.</translation>
    </message>
    <message>
        <source>Link selected</source>
        <translation>Lier la sélection</translation>
    </message>
    <message>
        <source>Unlink selected</source>
        <translation>Délier la sélection</translation>
    </message>
    <message>
        <source>Link all shown</source>
        <translation>Lier tous les clients affichés</translation>
    </message>
    <message>
        <source>Unlink all shown</source>
        <translation>Délier tous les clients affichés</translation>
    </message>
    <message>
        <source>Destination:</source>
        <translation>Destination :</translation>
    </message>
    <message>
        <source>Deliver from:</source>
        <translation>Livrer à partir du :</translation>
    </message>
    <message>
        <source>Revert</source>
        <translation>Annuler les modifications</translation>
    </message>
    <message>
        <source>Give up the changes not saved yet.</source>
        <translation>Abandonner les modifications pas encore enregistrées.</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Enregistrer</translation>
    </message>
    <message numerus="yes">
        <source>%n client(s) linked to “%1”.</source>
        <translation>
            <numerusform>%n client lié à « %1 ».</numerusform>
            <numerusform>%n clients liés à « %1 ».</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n client(s) unlinked from “%1”.</source>
        <translation>
            <numerusform>%n client délié de « %1 ».</numerusform>
            <numerusform>%n clients déliés de « %1 ».</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n client(s) left out: they do not share their documents with your office.</source>
        <translation>
            <numerusform>%n client écarté : il ne partage pas ses documents avec votre bureau.</numerusform>
            <numerusform>%n clients écartés : ils ne partagent pas leurs documents avec votre bureau.</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing to change.</source>
        <translation>Rien à modifier.</translation>
    </message>
    <message>
        <source>No clients yet: your office has no clients on the platform. They appear here as soon as it lists some.</source>
        <translation>Pas encore de clients : votre bureau n&apos;a aucun client sur la plateforme. Ils apparaîtront ici dès qu&apos;elle en répertorie.</translation>
    </message>
    <message>
        <source>Waiting for the platform&apos;s list of clients…</source>
        <translation>En attente de la liste des clients de la plateforme…</translation>
    </message>
    <message>
        <source>%1 of %2 clients shown · %3 linked</source>
        <translation>Clients affichés : %1 sur %2 · liés : %3</translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) will be saved when you finish</source>
        <translation>
            <numerusform>%n modification sera enregistrée quand vous terminerez</numerusform>
            <numerusform>%n modifications seront enregistrées quand vous terminerez</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) not saved yet</source>
        <translation>
            <numerusform>%n modification pas encore enregistrée</numerusform>
            <numerusform>%n modifications pas encore enregistrées</numerusform>
        </translation>
    </message>
    <message>
        <source>saving…</source>
        <translation>enregistrement…</translation>
    </message>
    <message>
        <source>Saved. Ferry delivers to the new links from now on.</source>
        <translation>Enregistré. Ferry livre désormais selon les nouvelles liaisons.</translation>
    </message>
    <message>
        <source>The links could not be saved: %1. Your changes are kept; try again.</source>
        <translation>Les liaisons n&apos;ont pas pu être enregistrées : %1. Vos modifications sont conservées ; réessayez.</translation>
    </message>
</context>
<context>
    <name>ClientPage</name>
    <message>
        <source>Your office&apos;s {platform} client</source>
        <translation>Le client {platform} de votre bureau</translation>
    </message>
    <message>
        <source>{platform} lets Ferry log in for your office with the client id and secret {platform} registered for your office or its IT partner. Ferry then opens {platform}&apos;s login page in your browser, and keeps the secret in this computer&apos;s protected store, never in a file.</source>
        <translation>{platform} permet à Ferry de se connecter pour votre bureau avec l&apos;identifiant et le secret de client que {platform} a enregistrés pour votre bureau ou son partenaire informatique. Ferry ouvre ensuite la page de connexion de {platform} dans votre navigateur et garde le secret dans le coffre protégé de cet ordinateur, jamais dans un fichier.</translation>
    </message>
    <message>
        <source>Redirect addresses registered with the client: {addresses}</source>
        <translation>Adresses de redirection enregistrées pour le client : {addresses}</translation>
    </message>
    <message>
        <source>Client id</source>
        <translation>Identifiant de client</translation>
    </message>
    <message>
        <source>Client secret</source>
        <translation>Secret de client</translation>
    </message>
    <message>
        <source>Type the client id.</source>
        <translation>Tapez l&apos;identifiant de client.</translation>
    </message>
    <message>
        <source>Paste the client secret.</source>
        <translation>Collez le secret de client.</translation>
    </message>
</context>
<context>
    <name>CountryPage</name>
    <message>
        <source>Login server (OpenID issuer)</source>
        <translation>Serveur de connexion (émetteur OpenID)</translation>
    </message>
    <message>
        <source>Platform API address</source>
        <translation>Adresse de l&apos;API de la plateforme</translation>
    </message>
    <message>
        <source>Fixed redirect ports (optional)</source>
        <translation>Ports de redirection fixes (facultatif)</translation>
    </message>
    <message>
        <source>Welcome to Ferry</source>
        <translation>Bienvenue dans Ferry</translation>
    </message>
    <message>
        <source>Ferry brings your clients&apos; documents from the document platform into the folders your accounting software reads. First: where is your office&apos;s platform?</source>
        <translation>Ferry dépose les documents de vos clients, depuis la plateforme documentaire, dans les dossiers que lit votre logiciel comptable. Pour commencer : où se trouve la plateforme de votre bureau ?</translation>
    </message>
    <message>
        <source>Platform and login</source>
        <translation>Plateforme et connexion</translation>
    </message>
    <message>
        <source>Ferry&apos;s API, login in the browser (OpenID Connect)</source>
        <translation>API de Ferry, connexion dans le navigateur (OpenID Connect)</translation>
    </message>
    <message>
        <source>Billit&apos;s API, with an API key and PartyID</source>
        <translation>API de Billit, avec une clé d&apos;API et un PartyID</translation>
    </message>
    <message>
        <source>Billit&apos;s API, with OAuth 2.0 (client id and secret)</source>
        <translation>API de Billit, avec OAuth 2.0 (identifiant et secret du client)</translation>
    </message>
    <message>
        <source>Login page address</source>
        <translation>Adresse de la page de connexion</translation>
    </message>
    <message>
        <source>Token address (optional)</source>
        <translation>Adresse des jetons (facultatif)</translation>
    </message>
    <message>
        <source>Choose where your office&apos;s platform is.</source>
        <translation>Choisissez où se trouve la plateforme de votre bureau.</translation>
    </message>
    <message>
        <source>the login server</source>
        <translation>du serveur de connexion</translation>
    </message>
    <message>
        <source>the platform API</source>
        <translation>de l&apos;API de la plateforme</translation>
    </message>
    <message>
        <source>the login page</source>
        <translation>de la page de connexion</translation>
    </message>
    <message>
        <source>the token endpoint</source>
        <translation>du point d&apos;accès des jetons</translation>
    </message>
    <message>
        <source>Give the redirect ports as different numbers between 1024 and 65535, separated by commas.</source>
        <translation>Indiquez les ports de redirection sous forme de nombres différents entre 1024 et 65535, séparés par des virgules.</translation>
    </message>
</context>
<context>
    <name>DayEdit</name>
    <message>
        <source>Pick a day on a calendar</source>
        <translation>Choisir un jour dans le calendrier</translation>
    </message>
    <message>
        <source>Type a day like {example}.</source>
        <translation>Tapez un jour comme {example}.</translation>
    </message>
    <message>
        <source>Documents cannot be delivered from a day still to come.</source>
        <translation>Les documents ne peuvent pas être livrés à partir d&apos;un jour à venir.</translation>
    </message>
    <message>
        <source>Pick a day after {day}.</source>
        <translation>Choisissez un jour après le {day}.</translation>
    </message>
</context>
<context>
    <name>DestinationEditor</name>
    <message>
        <source>Client</source>
        <translation>Client</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>Dossier</translation>
    </message>
    <message>
        <source>Insert variable</source>
        <extracomment>Why a folder cannot be written (None: it can). Blocks: run on a worker thread. How long *Browse…* waits for the field&apos;s folder to be found on disk before it opens at the last folder browsed or the Documents folder (a dead network share must not hold it up).</extracomment>
        <translation>Insérer une variable</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Parcourir…</translation>
    </message>
    <message>
        <source>Choose the folder the accounting software reads</source>
        <translation>Choisissez le dossier que lit le logiciel comptable</translation>
    </message>
    <message>
        <source>UBL as received</source>
        <translation>UBL tel que reçu</translation>
    </message>
    <message>
        <source>UBL with its PDF beside it</source>
        <translation>UBL avec son PDF à côté</translation>
    </message>
    <message>
        <source>PDF only</source>
        <translation>PDF uniquement</translation>
    </message>
    <message>
        <source>Accounting software configuration</source>
        <translation>Configuration du logiciel comptable</translation>
    </message>
    <message>
        <source>e.g. Winbooks</source>
        <translation>p. ex. Winbooks</translation>
    </message>
    <message>
        <source>One folder for every kind of document</source>
        <translation>Un seul dossier pour tous les types de documents</translation>
    </message>
    <message>
        <source>A folder per kind of document</source>
        <translation>Un dossier par type de document</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Delivery format</source>
        <translation>Format de livraison</translation>
    </message>
    <message>
        <source>Archive: keep it complete</source>
        <translation>Archive : la garder complète</translation>
    </message>
    <message>
        <source>Files that disappear from this destination are written again by the full sync. Leave it off for a folder your accounting software imports from: it takes files away after importing them.</source>
        <translation>Les fichiers qui disparaissent de cette destination sont réécrits par la synchronisation complète. Laissez cette case décochée pour un dossier dont votre logiciel comptable importe les fichiers : il les retire après les avoir importés.</translation>
    </message>
    <message>
        <source>Preview for your clients</source>
        <translation>Aperçu pour vos clients</translation>
    </message>
    <message>
        <source>Give this configuration a name, e.g. the accounting software&apos;s.</source>
        <translation>Donnez un nom à cette configuration, p. ex. celui du logiciel comptable.</translation>
    </message>
    <message>
        <source>Another configuration already has this name.</source>
        <translation>Une autre configuration porte déjà ce nom.</translation>
    </message>
    <message>
        <source>Give at least one folder: purchase invoices, sales invoices, ...</source>
        <translation>Indiquez au moins un dossier : factures d&apos;achat, factures de vente, ...</translation>
    </message>
    <message>
        <source>This drive letter exists only in your session (a mapped network drive or a subst drive): the Ferry service cannot see it. Write the full path instead: {path}</source>
        <translation>Cette lettre de lecteur n&apos;existe que dans votre session (un lecteur réseau connecté ou un lecteur subst) : le service Ferry ne la voit pas. Écrivez plutôt le chemin complet : {path}</translation>
    </message>
    <message>
        <source>Ferry cannot write there: {reason}.</source>
        <translation>Ferry ne peut pas écrire à cet endroit : {reason}.</translation>
    </message>
    <message>
        <source>Not yet: {problem}</source>
        <translation>Pas encore : {problem}</translation>
    </message>
    <message>
        <source>{client} has no accounting file id, which [{name}] needs: fill in its file id in the Clients tab. Until then, its documents go to Error.</source>
        <translation>{client} n&apos;a pas de numéro de dossier comptable, nécessaire pour [{name}] : complétez son numéro de dossier dans l&apos;onglet Clients. D&apos;ici là, ses documents passent en Erreur.</translation>
    </message>
    <message>
        <source>Until then, its documents go to Error.</source>
        <translation>D&apos;ici là, ses documents passent en Erreur.</translation>
    </message>
    <message>
        <source>Link clients to see where their documents will go.</source>
        <translation>Liez des clients pour voir où iront leurs documents.</translation>
    </message>
    <message>
        <source>1 preview shows a problem: fix it before saving.</source>
        <translation>1 aperçu présente un problème : corrigez-le avant d&apos;enregistrer.</translation>
    </message>
    <message>
        <source>{count} previews show a problem: fix them before saving.</source>
        <translation>{count} aperçus présentent un problème : corrigez-les avant d&apos;enregistrer.</translation>
    </message>
    <message>
        <source>1 client lacks a value this path needs: its documents will go to Error until it is filled in. You can save all the same.</source>
        <translation>Il manque à 1 client une valeur requise par ce chemin : ses documents passeront en Erreur jusqu&apos;à ce qu&apos;elle soit complétée. Vous pouvez néanmoins enregistrer.</translation>
    </message>
    <message>
        <source>{count} clients lack a value this path needs: their documents will go to Error until it is filled in. You can save all the same.</source>
        <translation>Il manque à {count} clients une valeur requise par ce chemin : leurs documents passeront en Erreur jusqu&apos;à ce qu&apos;elle soit complétée. Vous pouvez néanmoins enregistrer.</translation>
    </message>
</context>
<context>
    <name>DestinationsPage</name>
    <message>
        <source>Add…</source>
        <translation>Ajouter…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Modifier…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <source>Where documents go</source>
        <translation>Où vont les documents</translation>
    </message>
    <message>
        <source>Add the folders your accounting software imports from (Winbooks, Adsolut, an archive...). Each one is a configuration with a name, one folder or a folder per kind of document, and the format to deliver. Paths may hold variables such as [enterprise_name] or [year].</source>
        <translation>Ajoutez les dossiers à partir desquels votre logiciel comptable importe (Winbooks, Adsolut, une archive...). Chacun est une configuration avec un nom, un dossier unique ou un dossier par type de document, et le format de livraison. Les chemins peuvent contenir des variables comme [nom_entreprise] ou [year].</translation>
    </message>
    <message>
        <source>Add at least one to go on.</source>
        <translation>Ajoutez-en au moins une pour continuer.</translation>
    </message>
</context>
<context>
    <name>DestinationsView</name>
    <message>
        <source>Add…</source>
        <translation>Ajouter…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Modifier…</translation>
    </message>
    <message>
        <source>Remove…</source>
        <translation>Supprimer…</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>Format</translation>
    </message>
    <message>
        <source>Folders</source>
        <translation>Dossiers</translation>
    </message>
    <message>
        <source>Linked clients</source>
        <translation>Clients liés</translation>
    </message>
    <message>
        <source>UBL only</source>
        <translation>UBL uniquement</translation>
    </message>
    <message>
        <source>UBL and PDF</source>
        <translation>UBL et PDF</translation>
    </message>
    <message>
        <source>PDF only</source>
        <translation>PDF uniquement</translation>
    </message>
    <message>
        <source>{kind}: {path}</source>
        <translation>{kind} : {path}</translation>
    </message>
    <message numerus="yes">
        <source>%n client(s)</source>
        <translation>
            <numerusform>%n client</numerusform>
            <numerusform>%n clients</numerusform>
        </translation>
    </message>
    <message>
        <source>There is no destination yet. Use Add… to choose the folders your accounting software imports its documents from.</source>
        <translation>Aucune destination pour l&apos;instant. Utilisez Ajouter… pour choisir les dossiers à partir desquels votre logiciel comptable importe ses documents.</translation>
    </message>
    <message numerus="yes">
        <source>%n client(s) linked to it: their documents will no longer be delivered there.</source>
        <translation>
            <numerusform>%n client y est lié : ses documents n&apos;y seront plus livrés.</numerusform>
            <numerusform>%n clients y sont liés : leurs documents n&apos;y seront plus livrés.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>It is their only destination: their documents will wait on the platform until they are linked again.</source>
        <translation>
            <numerusform>C&apos;est sa seule destination : ses documents attendront sur la plateforme jusqu&apos;à ce qu&apos;il soit à nouveau lié.</numerusform>
            <numerusform>C&apos;est leur seule destination : leurs documents attendront sur la plateforme jusqu&apos;à ce qu&apos;ils soient à nouveau liés.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>For %n of them it is the only destination: their documents will wait on the platform until they are linked again.</source>
        <translation>
            <numerusform>Pour %n d&apos;entre eux, c&apos;est la seule destination : ses documents attendront sur la plateforme jusqu&apos;à ce qu&apos;il soit à nouveau lié.</numerusform>
            <numerusform>Pour %n d&apos;entre eux, c&apos;est la seule destination : leurs documents attendront sur la plateforme jusqu&apos;à ce qu&apos;ils soient à nouveau liés.</numerusform>
        </translation>
    </message>
    <message>
        <source>Files already delivered there stay where they are.</source>
        <translation>Les fichiers déjà livrés y restent.</translation>
    </message>
    <message>
        <source>Remove destination</source>
        <translation>Supprimer la destination</translation>
    </message>
    <message>
        <source>Remove the destination &quot;{name}&quot;?</source>
        <translation>Supprimer la destination « {name} » ?</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
</context>
<context>
    <name>DiagnosticsDialog</name>
    <message>
        <source>Export diagnostics</source>
        <translation>Exporter les diagnostics</translation>
    </message>
    <message>
        <source>One zip for Ferry&apos;s support: logs, versions, settings and a summary of the state. It never holds a password or a token.</source>
        <translation>Un seul zip pour le support de Ferry : journaux, versions, paramètres et un résumé de l&apos;état. Il ne contient jamais de mot de passe ni de jeton.</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>Période</translation>
    </message>
    <message>
        <source>Replace client and file names with codes</source>
        <translation>Remplacer les noms de clients et de fichiers par des codes</translation>
    </message>
    <message>
        <source>Save…</source>
        <translation>Enregistrer…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <source>Show in folder</source>
        <translation>Afficher dans le dossier</translation>
    </message>
    <message>
        <source>the last </source>
        <comment>before a number of days</comment>
        <translation>les </translation>
    </message>
    <message numerus="yes">
        <source> day(s)</source>
        <translation>
            <numerusform> dernier jour</numerusform>
            <numerusform> derniers jours</numerusform>
        </translation>
    </message>
    <message>
        <source>Save diagnostics</source>
        <translation>Enregistrer les diagnostics</translation>
    </message>
    <message>
        <source>Zip files (*.zip)</source>
        <translation>Fichiers zip (*.zip)</translation>
    </message>
    <message>
        <source>Saving the diagnostics…</source>
        <translation>Enregistrement des diagnostics…</translation>
    </message>
    <message>
        <source>Diagnostics saved to %1 (%2).</source>
        <translation>Diagnostics enregistrés dans %1 (%2).</translation>
    </message>
    <message>
        <source>The diagnostics cannot be saved: %1</source>
        <translation>Les diagnostics ne peuvent pas être enregistrés : %1</translation>
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
        <translation>Client</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>Numéro</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Montant</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Statut</translation>
    </message>
    <message>
        <source>Last attempt</source>
        <translation>Dernière tentative</translation>
    </message>
    <message>
        <source>not yet</source>
        <translation>pas encore</translation>
    </message>
    <message>
        <source>Next try</source>
        <translation>Prochain essai</translation>
    </message>
    <message>
        <source>Document id</source>
        <translation>Identifiant du document</translation>
    </message>
    <message>
        <source>Double-click a file to open it.</source>
        <translation>Double-cliquez sur un fichier pour l&apos;ouvrir.</translation>
    </message>
    <message>
        <source>Written to</source>
        <translation>Écrit dans</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Message</translation>
    </message>
    <message>
        <source>Open file</source>
        <translation>Ouvrir le fichier</translation>
    </message>
    <message>
        <source>Open folder</source>
        <translation>Ouvrir le dossier</translation>
    </message>
    <message>
        <source>Ferry delivered this document to %1, and its files are no longer where Ferry wrote them: the accounting software picked them up (it usually moves or deletes a file once it has imported it), or someone moved them. Ferry does not write them again by itself, so nothing is booked twice. If the accounting software needs them again, select the document and use Deliver again here: Ferry writes it again into the destinations it was delivered to.</source>
        <translation>Ferry a livré ce document vers %1, et ses fichiers ne se trouvent plus là où Ferry les a écrits : le logiciel comptable les a récupérés (il déplace ou supprime généralement un fichier après l&apos;avoir importé), ou quelqu&apos;un les a déplacés. Ferry ne les réécrit pas de lui-même, pour que rien ne soit comptabilisé deux fois. Si le logiciel comptable en a de nouveau besoin, sélectionnez le document et choisissez Relivrer ici : Ferry le réécrit dans les destinations où il avait été livré.</translation>
    </message>
</context>
<context>
    <name>DocumentsModel</name>
    <message>
        <source>Client</source>
        <translation>Client</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>Numéro</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Montant</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Statut</translation>
    </message>
    <message>
        <source>Destination path</source>
        <translation>Chemin de destination</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Message</translation>
    </message>
    <message>
        <source>Last attempt</source>
        <translation>Dernière tentative</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>En attente</translation>
    </message>
    <message>
        <source>Picked up or moved from %1</source>
        <translation>Récupéré ou déplacé depuis %1</translation>
    </message>
</context>
<context>
    <name>ErrorNotifier</name>
    <message>
        <source>Login needed</source>
        <extracomment>Called with the engine-down alert&apos;s beginning and end (on the GUI thread).</extracomment>
        <translation>Connexion requise</translation>
    </message>
    <message>
        <source>The platform no longer accepts Ferry&apos;s login, so no documents are delivered. Open Ferry to log in again.</source>
        <translation>La plateforme n&apos;accepte plus la connexion de Ferry : aucun document n&apos;est livré. Ouvrez Ferry pour vous reconnecter.</translation>
    </message>
    <message>
        <source>A document could not be delivered</source>
        <translation>Un document n&apos;a pas pu être livré</translation>
    </message>
    <message>
        <source>%1 documents could not be delivered</source>
        <translation>%1 documents n&apos;ont pas pu être livrés</translation>
    </message>
    <message>
        <source>%1 could not be delivered: </source>
        <translation>Livraison impossible pour %1 : </translation>
    </message>
    <message>
        <source>%1 and 1 other document could not be delivered: </source>
        <translation>Livraison impossible pour %1 et 1 autre document : </translation>
    </message>
    <message>
        <source>%1 and %2 other documents could not be delivered: </source>
        <translation>Livraison impossible pour %1 et %2 autres documents : </translation>
    </message>
    <message>
        <source> (and 1 other problem)</source>
        <translation> (et 1 autre problème)</translation>
    </message>
    <message>
        <source> (and %1 other problems)</source>
        <translation> (et %1 autres problèmes)</translation>
    </message>
    <message>
        <source>A document</source>
        <translation>un document</translation>
    </message>
    <message>
        <source>Invoice %1</source>
        <translation>la facture %1</translation>
    </message>
    <message>
        <source>Statement %1</source>
        <translation>l&apos;extrait %1</translation>
    </message>
    <message>
        <source>Receipt %1</source>
        <translation>le reçu %1</translation>
    </message>
    <message>
        <source>Document %1</source>
        <translation>le document %1</translation>
    </message>
</context>
<context>
    <name>FerryApp</name>
    <message>
        <source>Starting the sandbox platform…</source>
        <extracomment>How often the window looks for an engine that stopped, and how long it waits for one before it syncs by itself. In the state folder once the person was told that Ferry goes on in the tray. Our own engine process, or the engine a service or ``ferry run`` hosts.</extracomment>
        <translation>Démarrage de la plateforme bac à sable…</translation>
    </message>
    <message>
        <source>The sandbox platform could not start</source>
        <translation>La plateforme bac à sable n&apos;a pas pu démarrer</translation>
    </message>
    <message>
        <source>Ferry cannot be set up</source>
        <translation>Ferry ne peut pas être configuré</translation>
    </message>
    <message>
        <source>Setting up Ferry</source>
        <translation>Configuration de Ferry</translation>
    </message>
    <message>
        <source>The sandbox platform of this computer could not start</source>
        <translation>La plateforme bac à sable de cet ordinateur n&apos;a pas pu démarrer</translation>
    </message>
    <message>
        <source>The history could not be read</source>
        <translation>L&apos;historique n&apos;a pas pu être lu</translation>
    </message>
    <message>
        <source>Ferry is not logged in.</source>
        <translation>Ferry n&apos;est pas connecté.</translation>
    </message>
    <message>
        <source>The settings cannot be read</source>
        <translation>Les paramètres ne peuvent pas être lus</translation>
    </message>
    <message>
        <source>Ferry could not start syncing</source>
        <translation>Ferry n&apos;a pas pu démarrer la synchronisation</translation>
    </message>
    <message>
        <source>The Ferry engine stopped; waiting for it to start again…</source>
        <translation>Le moteur Ferry s&apos;est arrêté ; en attente de son redémarrage…</translation>
    </message>
    <message>
        <source>The Ferry service logs in for the whole computer</source>
        <translation>Le service Ferry se connecte pour tout l&apos;ordinateur</translation>
    </message>
    <message>
        <source>An administrator logs it in again, or out, in a command prompt run as administrator: {login} (or {logout}).</source>
        <translation>Un administrateur le reconnecte, ou le déconnecte, dans une invite de commandes lancée en tant qu&apos;administrateur : {login} (ou {logout}).</translation>
    </message>
    <message>
        <source>Ferry is still running</source>
        <translation>Ferry fonctionne toujours</translation>
    </message>
    <message>
        <source>Ferry keeps delivering documents in the background. Open it again from its icon in the notification area, near the clock.</source>
        <translation>Ferry continue de livrer les documents en arrière-plan. Rouvrez-le depuis son icône dans la zone de notification, près de l&apos;horloge.</translation>
    </message>
    <message>
        <source>Log out</source>
        <translation>Se déconnecter</translation>
    </message>
    <message>
        <source>Log out {who}? Ferry stops syncing until somebody logs in again; the destinations and client links are kept.</source>
        <translation>Déconnecter {who} ? Ferry arrête la synchronisation jusqu&apos;à ce que quelqu&apos;un se reconnecte ; les destinations et les liens clients sont conservés.</translation>
    </message>
    <message>
        <source>Logging out…</source>
        <translation>Déconnexion…</translation>
    </message>
    <message>
        <source>Ferry could not log out</source>
        <translation>Ferry n&apos;a pas pu se déconnecter</translation>
    </message>
    <message>
        <source>Logged out on this computer only</source>
        <translation>Déconnecté sur cet ordinateur seulement</translation>
    </message>
    <message>
        <source>The platform was not told: its login server offers no way to end a login from an application, so the login stays valid there until it expires. Ferry has forgotten it on this computer.</source>
        <translation>La plateforme n&apos;a pas été prévenue : son serveur de connexion ne permet pas à une application de mettre fin à une connexion, qui y reste donc valable jusqu&apos;à son expiration. Ferry l&apos;a oubliée sur cet ordinateur.</translation>
    </message>
    <message>
        <source>The platform was not told: its login server could not be reached or refused. Ferry has forgotten the login on this computer; it stays valid at the platform until it expires.</source>
        <translation>La plateforme n&apos;a pas été prévenue : son serveur de connexion était injoignable ou a refusé. Ferry a oublié la connexion sur cet ordinateur ; elle reste valable sur la plateforme jusqu&apos;à son expiration.</translation>
    </message>
    <message>
        <source>Ferry has forgotten the API key on this computer. The key stays valid at the platform until someone deletes it there.</source>
        <translation>Ferry a oublié la clé d&apos;API sur cet ordinateur. La clé reste valable sur la plateforme jusqu&apos;à ce que quelqu&apos;un l&apos;y supprime.</translation>
    </message>
    <message>
        <source>The platform was not told: Ferry no longer held this login&apos;s token, so there was nothing to end there.</source>
        <translation>La plateforme n&apos;a pas été prévenue : Ferry ne détenait plus le jeton de cette connexion, il n&apos;y avait donc rien à y terminer.</translation>
    </message>
</context>
<context>
    <name>KeyPage</name>
    <message>
        <source>Your {platform} API key</source>
        <translation>Votre clé d&apos;API {platform}</translation>
    </message>
    <message>
        <source>Ferry logs in to {platform} with an API key and its PartyID, which {platform} gives an office for its own use. Paste both once: Ferry checks them with {platform}, then keeps the key in this computer&apos;s protected store, never in a file.</source>
        <translation>Ferry se connecte à {platform} avec une clé d&apos;API et son PartyID, que {platform} donne à un bureau pour son propre usage. Collez-les une seule fois : Ferry les vérifie auprès de {platform}, puis garde la clé dans le coffre protégé de cet ordinateur, jamais dans un fichier.</translation>
    </message>
    <message>
        <source>Where to find them: log in to {platform} in your browser; the API key is on your user profile, and the PartyID is the number in the browser&apos;s address bar when you open your company&apos;s page.</source>
        <translation>Où les trouver : connectez-vous à {platform} dans votre navigateur ; la clé d&apos;API figure sur votre profil d&apos;utilisateur, et le PartyID est le nombre qui apparaît dans la barre d&apos;adresse du navigateur quand vous ouvrez la page de votre société.</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>Clé d&apos;API</translation>
    </message>
    <message>
        <source>PartyID</source>
        <translation>PartyID</translation>
    </message>
    <message>
        <source>Paste the API key.</source>
        <translation>Collez la clé d&apos;API.</translation>
    </message>
    <message>
        <source>Type the PartyID, a number.</source>
        <translation>Tapez le PartyID, un nombre.</translation>
    </message>
    <message>
        <source>Checking the key with {platform}…</source>
        <translation>Vérification de la clé auprès de {platform}…</translation>
    </message>
    <message>
        <source>{platform} did not accept this API key. Check that it was pasted whole, or make a new one in {platform}.</source>
        <translation>{platform} n&apos;a pas accepté cette clé d&apos;API. Vérifiez qu&apos;elle a été collée en entier, ou créez-en une nouvelle dans {platform}.</translation>
    </message>
    <message>
        <source>{platform} accepted the key, but it does not reach PartyID {party}. Check the PartyID given with the key.</source>
        <translation>{platform} a accepté la clé, mais elle ne donne pas accès au PartyID {party}. Vérifiez le PartyID donné avec la clé.</translation>
    </message>
</context>
<context>
    <name>KeyReloginDialog</name>
    <message>
        <source>Paste a new API key</source>
        <translation>Collez une nouvelle clé d&apos;API</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>Se connecter</translation>
    </message>
</context>
<context>
    <name>LinksPage</name>
    <message>
        <source>Link your clients</source>
        <translation>Liez vos clients</translation>
    </message>
</context>
<context>
    <name>LoginPage</name>
    <message>
        <source>Copy</source>
        <translation>Copier</translation>
    </message>
    <message>
        <source>Open the browser again</source>
        <translation>Rouvrir le navigateur</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>Se connecter</translation>
    </message>
    <message>
        <source>Preparing the login…</source>
        <translation>Préparation de la connexion…</translation>
    </message>
    <message>
        <source>Log in on the page that opened in your browser. When the browser says you are logged in, come back here.</source>
        <translation>Connectez-vous sur la page qui s&apos;est ouverte dans votre navigateur. Quand le navigateur indique que vous êtes connecté, revenez ici.</translation>
    </message>
    <message>
        <source>No page opened? Copy this address into a browser:</source>
        <translation>Aucune page ne s&apos;est ouverte ? Copiez cette adresse dans un navigateur :</translation>
    </message>
    <message>
        <source>No browser could be opened on this computer.</source>
        <translation>Aucun navigateur n&apos;a pu être ouvert sur cet ordinateur.</translation>
    </message>
    <message>
        <source>Copy this address into a browser and log in there; Ferry waits here:</source>
        <translation>Copiez cette adresse dans un navigateur et connectez-vous-y ; Ferry attend ici :</translation>
    </message>
    <message>
        <source>The login did not finish.</source>
        <translation>La connexion n&apos;a pas abouti.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Starting…</source>
        <translation>Démarrage…</translation>
    </message>
    <message>
        <source>Up to date</source>
        <translation>À jour</translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation>Synchronisation…</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>En pause</translation>
    </message>
    <message>
        <source>Offline: the platform cannot be reached; Ferry keeps trying</source>
        <translation>Hors ligne : la plateforme est injoignable ; Ferry réessaie</translation>
    </message>
    <message>
        <source>Login needed: log in again to go on syncing</source>
        <translation>Connexion requise : reconnectez-vous pour reprendre la synchronisation</translation>
    </message>
    <message>
        <source>Some documents could not be delivered</source>
        <translation>Certains documents n’ont pas pu être livrés</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Arrêté</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>Documents</translation>
    </message>
    <message>
        <source>Activity</source>
        <translation>Activité</translation>
    </message>
    <message>
        <source>Destinations</source>
        <translation>Destinations</translation>
    </message>
    <message>
        <source>Clients</source>
        <translation>Clients</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>Paramètres…</translation>
    </message>
    <message>
        <source>Log in again…</source>
        <translation>Se reconnecter…</translation>
    </message>
    <message>
        <source>Paste a new key…</source>
        <translation>Coller une nouvelle clé…</translation>
    </message>
    <message>
        <source>Login needed: paste a new API key to go on syncing</source>
        <translation>Connexion requise : collez une nouvelle clé d&apos;API pour reprendre la synchronisation</translation>
    </message>
    <message numerus="yes">
        <source>%n document(s) could not be delivered</source>
        <translation>
            <numerusform>%n document n’a pas pu être livré</numerusform>
            <numerusform>%n documents n’ont pas pu être livrés</numerusform>
        </translation>
    </message>
    <message>
        <source>last sync {time}</source>
        <translation>dernière synchronisation {time}</translation>
    </message>
</context>
<context>
    <name>ReloginDialog</name>
    <message>
        <source>Log in again</source>
        <translation>Se reconnecter</translation>
    </message>
    <message>
        <source>The platform ended Ferry&apos;s login. Log in again as {who} in your browser to go on syncing for {office}; nothing is lost meanwhile.</source>
        <translation>La plateforme a mis fin à la connexion de Ferry. Reconnectez-vous en tant que {who} dans votre navigateur pour reprendre la synchronisation pour {office} ; rien n&apos;est perdu entre-temps.</translation>
    </message>
    <message>
        <source>the office</source>
        <translation>le bureau</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Copier</translation>
    </message>
    <message>
        <source>Open the browser again</source>
        <translation>Rouvrir le navigateur</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>Réessayer</translation>
    </message>
    <message>
        <source>Opening the login page in your browser…</source>
        <translation>Ouverture de la page de connexion dans votre navigateur…</translation>
    </message>
    <message>
        <source>Waiting for the login in your browser…</source>
        <translation>En attente de la connexion dans votre navigateur…</translation>
    </message>
    <message>
        <source>No browser opened: open this address in one to log in.</source>
        <translation>Aucun navigateur ne s&apos;est ouvert : ouvrez cette adresse dans un navigateur pour vous connecter.</translation>
    </message>
    <message>
        <source>That login is somebody else&apos;s. Log in as {who}, or set Ferry up again for another person.</source>
        <translation>Cette connexion est celle de quelqu&apos;un d&apos;autre. Connectez-vous en tant que {who}, ou configurez Ferry à nouveau pour une autre personne.</translation>
    </message>
    <message>
        <source>Logged in. Asking the platform about the office…</source>
        <translation>Connecté. Interrogation de la plateforme sur le bureau…</translation>
    </message>
    <message>
        <source>Ferry no longer holds the client secret of this login: set Ferry up again with it.</source>
        <translation>Ferry ne détient plus le secret de client de cette connexion : configurez de nouveau Ferry avec ce secret.</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Ferry settings</source>
        <translation>Paramètres de Ferry</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Compte</translation>
    </message>
    <message>
        <source>Logged in as {who} for {office}, at {address}</source>
        <translation>Connecté en tant que {who} pour {office}, sur {address}</translation>
    </message>
    <message>
        <source>Log out…</source>
        <translation>Se déconnecter…</translation>
    </message>
    <message>
        <source>General</source>
        <translation>Général</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>Alertes</translation>
    </message>
    <message>
        <source>When delivery stops (nothing delivered while documents wait, a folder out of reach, a login needed, Ferry not running), Ferry says so once: a notification here, the Windows event log for the service, and, if you want, an e-mail.</source>
        <translation>Quand la livraison s&apos;arrête (rien n&apos;est livré alors que des documents attendent, un dossier est inaccessible, une connexion est nécessaire, Ferry ne tourne pas), Ferry le dit une fois : une notification ici, le journal d&apos;événements de Windows pour le service et, si vous le souhaitez, un e-mail.</translation>
    </message>
    <message>
        <source>Full sync</source>
        <translation>Synchronisation complète</translation>
    </message>
    <message>
        <source>Connection to the platform</source>
        <translation>Connexion à la plateforme</translation>
    </message>
    <message>
        <source>Start Ferry when I log in</source>
        <translation>Démarrer Ferry à l&apos;ouverture de ma session</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Langue</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>Langue du système</translation>
    </message>
    <message>
        <source>Notify me when documents cannot be delivered or a login is needed</source>
        <translation>M&apos;avertir quand des documents ne peuvent pas être livrés ou qu&apos;une connexion est requise</translation>
    </message>
    <message>
        <source>Run a full sync every</source>
        <translation>Lancer une synchronisation complète tous les</translation>
    </message>
    <message>
        <source>Use the system&apos;s proxy settings</source>
        <translation>Utiliser les paramètres de proxy du système</translation>
    </message>
    <message>
        <source>No proxy</source>
        <translation>Pas de proxy</translation>
    </message>
    <message>
        <source>Use this proxy:</source>
        <translation>Utiliser ce proxy :</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Enregistrer</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Export diagnostics…</source>
        <translation>Exporter les diagnostics…</translation>
    </message>
    <message>
        <source>Ferry cannot tell whether it starts at login: %1</source>
        <translation>Ferry ne peut pas savoir s&apos;il démarre à l&apos;ouverture de session : %1</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Vérification…</translation>
    </message>
    <message>
        <source>Ferry starts at login for everyone on this computer (set when it was installed). Only an administrator can turn this off.</source>
        <translation>Ferry démarre à l&apos;ouverture de session pour tous les utilisateurs de cet ordinateur (réglé lors de son installation). Seul un administrateur peut désactiver ce réglage.</translation>
    </message>
    <message>
        <source>Ferry cannot start at login from here: %1</source>
        <translation>Ferry ne peut pas démarrer à l&apos;ouverture de session depuis cet emplacement : %1</translation>
    </message>
    <message>
        <source>Starting Ferry at login was switched off in the system&apos;s settings; tick the box and save to switch it on again.</source>
        <translation>Le démarrage de Ferry à l&apos;ouverture de session a été désactivé dans les paramètres du système ; cochez la case et enregistrez pour le réactiver.</translation>
    </message>
    <message>
        <source>At login the system starts Ferry from another place: %1. Save to start this Ferry instead.</source>
        <translation>À l&apos;ouverture de session, le système démarre Ferry depuis un autre emplacement : %1. Enregistrez pour démarrer plutôt ce Ferry-ci.</translation>
    </message>
    <message>
        <source> day</source>
        <translation> jour</translation>
    </message>
    <message>
        <source> days</source>
        <translation> jours</translation>
    </message>
    <message>
        <source>A full sync compares everything the platform holds for your linked clients with what was delivered, and delivers again whatever is missing.</source>
        <translation>Une synchronisation complète compare tout ce que la plateforme contient pour vos clients liés avec ce qui a été livré, et livre à nouveau ce qui manque.</translation>
    </message>
    <message>
        <source>The next one runs soon.</source>
        <translation>La prochaine aura lieu bientôt.</translation>
    </message>
    <message>
        <source>The next one runs around %1.</source>
        <translation>La prochaine aura lieu vers %1.</translation>
    </message>
    <message>
        <source>Last full sync: %1.</source>
        <translation>Dernière synchronisation complète : %1.</translation>
    </message>
    <message>
        <source>This installation of Ferry cannot use SOCKS proxies; give an http:// proxy.</source>
        <translation>Cette installation de Ferry ne peut pas utiliser de proxy SOCKS ; indiquez un proxy http://.</translation>
    </message>
    <message>
        <source>Type the proxy&apos;s address, e.g. http://proxy.example.com:3128.</source>
        <translation>Saisissez l&apos;adresse du proxy, p. ex. http://proxy.example.com:3128.</translation>
    </message>
    <message>
        <source>This is not a proxy address: it holds spaces or control characters. Write it as http://proxy.example.com:3128.</source>
        <translation>Ce n&apos;est pas une adresse de proxy : elle contient des espaces ou des caractères de contrôle. Écrivez-la comme http://proxy.example.com:3128.</translation>
    </message>
    <message>
        <source>Start the address with http://, https:// or socks5://, e.g. http://proxy.example.com:3128.</source>
        <translation>Commencez l&apos;adresse par http://, https:// ou socks5://, p. ex. http://proxy.example.com:3128.</translation>
    </message>
    <message>
        <source>Ferry can use http://, https:// and socks5:// proxies only.</source>
        <translation>Ferry ne peut utiliser que des proxys http://, https:// et socks5://.</translation>
    </message>
    <message>
        <source>A user name or password cannot be kept in the proxy address: Ferry&apos;s settings are a plain file. Ask for a proxy rule that lets this computer through without one.</source>
        <translation>Un nom d&apos;utilisateur ou un mot de passe ne peut pas figurer dans l&apos;adresse du proxy : les paramètres de Ferry sont un simple fichier. Demandez une règle de proxy qui laisse passer cet ordinateur sans identifiants.</translation>
    </message>
    <message>
        <source>The proxy&apos;s server name or IP address is not valid.</source>
        <translation>Le nom de serveur ou l&apos;adresse IP du proxy n&apos;est pas valide.</translation>
    </message>
    <message>
        <source>Add the proxy&apos;s port after a colon, e.g. proxy.example.com:3128.</source>
        <translation>Ajoutez le port du proxy après deux-points, p. ex. proxy.example.com:3128.</translation>
    </message>
    <message>
        <source>The port must be a number from 1 to 65535.</source>
        <translation>Le port doit être un nombre de 1 à 65535.</translation>
    </message>
    <message>
        <source>Give only the proxy&apos;s address and port, without a path or anything after them.</source>
        <translation>Indiquez uniquement l&apos;adresse et le port du proxy, sans chemin ni rien après.</translation>
    </message>
    <message>
        <source>Start at login could not be changed: %1</source>
        <translation>Le démarrage à l&apos;ouverture de session n&apos;a pas pu être modifié : %1</translation>
    </message>
    <message>
        <source>The mail server&apos;s password could not be kept in the system&apos;s password store: %1</source>
        <translation>Le mot de passe du serveur de messagerie n&apos;a pas pu être conservé dans le coffre à mots de passe du système : %1</translation>
    </message>
    <message>
        <source>The settings were not saved: %1</source>
        <translation>Les paramètres n&apos;ont pas été enregistrés : %1</translation>
    </message>
</context>
<context>
    <name>SetupWizard</name>
    <message>
        <source>Back</source>
        <extracomment>Each destination kept from the earlier set-up, by its name then and its name now: what Ferry delivered there follows a rename when the set-up is saved.</extracomment>
        <translation>Précédent</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Suivant</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>Se connecter</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>Réessayer</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>Terminer</translation>
    </message>
    <message>
        <source>Opening the login page in your browser…</source>
        <translation>Ouverture de la page de connexion dans votre navigateur…</translation>
    </message>
    <message>
        <source>Logged in. Asking the platform about the office…</source>
        <translation>Connecté. Interrogation de la plateforme sur le bureau…</translation>
    </message>
    <message>
        <source>The login was cancelled.</source>
        <translation>La connexion a été annulée.</translation>
    </message>
    <message>
        <source>Starting the sandbox platform on this computer…</source>
        <translation>Démarrage de la plateforme bac à sable sur cet ordinateur…</translation>
    </message>
    <message>
        <source>The sandbox platform could not start: {why}</source>
        <translation>La plateforme bac à sable n&apos;a pas pu démarrer : {why}</translation>
    </message>
    <message>
        <source>Checking the platform&apos;s address…</source>
        <translation>Vérification de l&apos;adresse de la plateforme…</translation>
    </message>
    <message>
        <source>Ferry could not save its settings: {why}</source>
        <translation>Ferry n&apos;a pas pu enregistrer ses paramètres : {why}</translation>
    </message>
    <message>
        <source>Type the address of {what}.</source>
        <translation>Saisissez l&apos;adresse {what}.</translation>
    </message>
    <message>
        <source>This is not a web address.</source>
        <translation>Ce n&apos;est pas une adresse web.</translation>
    </message>
    <message>
        <source>This is not a web address: it starts with https:// and a server name.</source>
        <translation>Ce n&apos;est pas une adresse web : elle commence par https:// et un nom de serveur.</translation>
    </message>
    <message>
        <source>Use https://: Ferry sends a login only over an encrypted connection (plain http only to this computer).</source>
        <translation>Utilisez https:// : Ferry n&apos;envoie une connexion que par une liaison chiffrée (http simple uniquement vers cet ordinateur).</translation>
    </message>
    <message>
        <source>The address ends before any ? or #.</source>
        <translation>L&apos;adresse s&apos;arrête avant tout ? ou #.</translation>
    </message>
    <message>
        <source>The platform cannot be reached at {address} ({why}).</source>
        <translation>La plateforme est injoignable à l&apos;adresse {address} ({why}).</translation>
    </message>
    <message>
        <source>There is no document platform at {address} (it answered {status}); check the API address.</source>
        <translation>Il n&apos;y a pas de plateforme documentaire à l&apos;adresse {address} (réponse {status}) ; vérifiez l&apos;adresse de l&apos;API.</translation>
    </message>
    <message>
        <source>Nobody finished the login in the browser in time. Click Log in to try again.</source>
        <translation>Personne n&apos;a terminé la connexion dans le navigateur à temps. Cliquez sur Se connecter pour réessayer.</translation>
    </message>
    <message>
        <source>The login did not work: {why}.</source>
        <translation>La connexion n&apos;a pas fonctionné : {why}.</translation>
    </message>
    <message>
        <source>The platform cannot be reached: {why}.</source>
        <translation>La plateforme est injoignable : {why}.</translation>
    </message>
    <message>
        <source>The platform refused: {why}.</source>
        <translation>La plateforme a refusé : {why}.</translation>
    </message>
    <message>
        <source>The platform no longer accepts this login: {why}.</source>
        <translation>La plateforme n&apos;accepte plus cette connexion : {why}.</translation>
    </message>
    <message>
        <source>Something went wrong: {why}.</source>
        <translation>Un problème est survenu : {why}.</translation>
    </message>
</context>
<context>
    <name>StatusView</name>
    <message>
        <source>The selected documents could not be read; try again.</source>
        <translation>Les documents sélectionnés n&apos;ont pas pu être lus ; réessayez.</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>Tous les statuts</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Statut</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>Client</translation>
    </message>
    <message>
        <source>All clients</source>
        <translation>Tous les clients</translation>
    </message>
    <message>
        <source>Search client, number, amount, message or path…</source>
        <translation>Rechercher un client, numéro, montant, message ou chemin…</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Réessayer</translation>
    </message>
    <message>
        <source>Try the selected documents in error again now</source>
        <translation>Réessayer maintenant les documents en erreur sélectionnés</translation>
    </message>
    <message>
        <source>Deliver again here</source>
        <translation>Relivrer ici</translation>
    </message>
    <message>
        <source>Write the selected forwarded documents again into the folders they were delivered to</source>
        <translation>Réécrire les documents transférés sélectionnés dans les dossiers où ils avaient été livrés</translation>
    </message>
    <message>
        <source>Open file</source>
        <translation>Ouvrir le fichier</translation>
    </message>
    <message>
        <source>Open folder</source>
        <translation>Ouvrir le dossier</translation>
    </message>
    <message>
        <source>Copy error</source>
        <translation>Copier l&apos;erreur</translation>
    </message>
    <message>
        <source>Details…</source>
        <translation>Détails…</translation>
    </message>
    <message>
        <source>No documents</source>
        <translation>Aucun document</translation>
    </message>
    <message>
        <source>1 document</source>
        <translation>1 document</translation>
    </message>
    <message>
        <source>%1 documents</source>
        <translation>%1 documents</translation>
    </message>
    <message>
        <source>%1 in error</source>
        <translation>%1 en erreur</translation>
    </message>
    <message>
        <source>%1 waiting</source>
        <translation>%1 en attente</translation>
    </message>
    <message numerus="yes">
        <source>%1 shown</source>
        <translation>
            <numerusform>%1 affiché</numerusform>
            <numerusform>%1 affichés</numerusform>
        </translation>
    </message>
    <message>
        <source>No document matches these filters. Clear the search or choose All statuses and All clients to see every document.</source>
        <translation>Aucun document ne correspond à ces filtres. Effacez la recherche ou choisissez Tous les statuts et Tous les clients pour voir chaque document.</translation>
    </message>
    <message>
        <source>No documents yet: they appear here as soon as Ferry fetches them from the platform.</source>
        <translation>Aucun document pour l&apos;instant : ils apparaissent ici dès que Ferry les récupère sur la plateforme.</translation>
    </message>
    <message>
        <source>Resend to integrations</source>
        <translation>Renvoyer aux intégrations</translation>
    </message>
    <message>
        <source>Send to integrations</source>
        <translation>Envoyer aux intégrations</translation>
    </message>
    <message>
        <source>Put the selected documents back to To fetch and deliver them again</source>
        <translation>Remettre les documents sélectionnés sur À récupérer et les livrer à nouveau</translation>
    </message>
    <message>
        <source>Select at most %1 documents to open</source>
        <translation>Sélectionnez au plus %1 documents à ouvrir</translation>
    </message>
    <message>
        <source>Open the delivered file</source>
        <translation>Ouvrir le fichier livré</translation>
    </message>
    <message>
        <source>Open the folder it was delivered to</source>
        <translation>Ouvrir le dossier dans lequel il a été livré</translation>
    </message>
    <message>
        <source>Deliver 1 document again?</source>
        <translation>Relivrer 1 document ?</translation>
    </message>
    <message>
        <source>Deliver %1 documents again?</source>
        <translation>Relivrer %1 documents ?</translation>
    </message>
    <message>
        <source>Ferry will write their files again into the destinations they were delivered to. The accounting software may import them a second time: do this only when it needs the files again.</source>
        <translation>Ferry réécrira leurs fichiers dans les destinations où ils avaient été livrés. Le logiciel comptable risque de les importer une seconde fois : ne le faites que s&apos;il a de nouveau besoin de ces fichiers.</translation>
    </message>
    <message>
        <source>Deliver again</source>
        <translation>Relivrer</translation>
    </message>
    <message>
        <source>Could not open %1: it is no longer there. The accounting software may have picked it up, or someone moved it.</source>
        <translation>Impossible d&apos;ouvrir %1 : il n&apos;est plus là. Le logiciel comptable l&apos;a peut-être repris, ou quelqu&apos;un l&apos;a déplacé.</translation>
    </message>
    <message>
        <source>Could not open %1: no program on this computer is set up to open %2 files.</source>
        <translation>Impossible d&apos;ouvrir %1 : aucun programme de cet ordinateur n&apos;est configuré pour ouvrir les fichiers %2.</translation>
    </message>
    <message>
        <source>Could not open %1: the computer refused to show it.</source>
        <translation>Impossible d&apos;ouvrir %1 : l&apos;ordinateur a refusé de l&apos;afficher.</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>Copié</translation>
    </message>
    <message>
        <source>Copied %1 messages</source>
        <translation>%1 messages copiés</translation>
    </message>
</context>
<context>
    <name>TrayController</name>
    <message>
        <source>Open Ferry</source>
        <translation>Ouvrir Ferry</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Synchroniser maintenant</translation>
    </message>
    <message>
        <source>Full sync…</source>
        <translation>Synchronisation complète…</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Suspendre</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>Paramètres…</translation>
    </message>
    <message>
        <source>Open logs folder</source>
        <translation>Ouvrir le dossier des journaux</translation>
    </message>
    <message>
        <source>Quit Ferry</source>
        <translation>Quitter Ferry</translation>
    </message>
    <message>
        <source>last sync %1</source>
        <translation>dernière synchronisation %1</translation>
    </message>
    <message>
        <source>no documents today</source>
        <translation>aucun document aujourd&apos;hui</translation>
    </message>
    <message>
        <source>1 document today</source>
        <translation>1 document aujourd&apos;hui</translation>
    </message>
    <message>
        <source>%1 documents today</source>
        <translation>%1 documents aujourd&apos;hui</translation>
    </message>
    <message>
        <source>Full sync</source>
        <translation>Synchronisation complète</translation>
    </message>
    <message>
        <source>Run a full sync now?</source>
        <translation>Lancer une synchronisation complète maintenant ?</translation>
    </message>
    <message>
        <source>Ferry will compare everything the platform holds for your linked clients with what was delivered, and deliver again whatever is missing. This can take a long time and uses the network heavily.</source>
        <translation>Ferry va comparer tout ce que la plateforme contient pour vos clients liés avec ce qui a été livré, et livrer à nouveau ce qui manque. Cela peut prendre longtemps et charge fortement le réseau.</translation>
    </message>
    <message>
        <source>Start full sync</source>
        <translation>Lancer la synchronisation complète</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Ferry was updated</source>
        <translation>Ferry a été mis à jour</translation>
    </message>
    <message>
        <source>Updated to Ferry %1</source>
        <translation>Mis à jour vers Ferry %1</translation>
    </message>
    <message>
        <source>Ferry update</source>
        <translation>Mise à jour de Ferry</translation>
    </message>
    <message>
        <source>Ferry %1 is up to date</source>
        <translation>Ferry %1 est à jour</translation>
    </message>
    <message>
        <source>Ferry %1 was downloaded and verified; it is installed at a quiet moment</source>
        <translation>Ferry %1 a été téléchargé et vérifié ; il sera installé à un moment calme</translation>
    </message>
    <message>
        <source>This installation of Ferry cannot update itself; install a newer version with the installer</source>
        <translation>Cette installation de Ferry ne peut pas se mettre à jour elle-même ; installez une version plus récente avec le programme d&apos;installation</translation>
    </message>
    <message>
        <source>The check for updates failed unexpectedly; Ferry&apos;s log says why</source>
        <translation>La recherche de mises à jour a échoué de façon inattendue ; le journal de Ferry en donne la raison</translation>
    </message>
    <message>
        <source>Export diagnostics…</source>
        <translation>Exporter les diagnostics…</translation>
    </message>
    <message>
        <source>Ferry %1</source>
        <translation>Ferry %1</translation>
    </message>
    <message>
        <source>Ferry %1 is ready; it is installed at a quiet moment</source>
        <translation>Ferry %1 est prêt ; il sera installé à un moment calme</translation>
    </message>
    <message>
        <source>Checking for updates…</source>
        <translation>Recherche de mises à jour…</translation>
    </message>
    <message>
        <source>Check for updates</source>
        <translation>Rechercher des mises à jour</translation>
    </message>
    <message>
        <source>Restart to update</source>
        <translation>Redémarrer pour mettre à jour</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Reprendre</translation>
    </message>
    <message>
        <source>Up to date</source>
        <translation>À jour</translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation>Synchronisation…</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>En pause</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Hors ligne</translation>
    </message>
    <message>
        <source>Login needed</source>
        <translation>Connexion requise</translation>
    </message>
    <message>
        <source>1 document in error</source>
        <translation>1 document en erreur</translation>
    </message>
    <message>
        <source>%1 documents in error</source>
        <translation>%1 documents en erreur</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>Erreurs</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Arrêté</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Démarrage…</translation>
    </message>
</context>
<context>
    <name>WhoPage</name>
    <message>
        <source>You are logged in</source>
        <translation>Vous êtes connecté</translation>
    </message>
    <message>
        <source>Not the right account or office? Go back and log in with another one.</source>
        <translation>Ce n&apos;est pas le bon compte ou le bon bureau ? Revenez en arrière et connectez-vous avec un autre.</translation>
    </message>
    <message>
        <source>Logged in as {who}</source>
        <translation>Connecté en tant que {who}</translation>
    </message>
    <message>
        <source>Office: {office}</source>
        <translation>Bureau : {office}</translation>
    </message>
    <message>
        <source>(no name)</source>
        <translation>(sans nom)</translation>
    </message>
    <message>
        <source>Platform: {region} ({address})</source>
        <translation>Plateforme : {region} ({address})</translation>
    </message>
    <message numerus="yes">
        <source>The office has %n client(s) on the platform.</source>
        <translation>
            <numerusform>Le bureau a %n client sur la plateforme.</numerusform>
            <numerusform>Le bureau a %n clients sur la plateforme.</numerusform>
        </translation>
    </message>
</context>
</TS>
